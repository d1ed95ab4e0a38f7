/* Unit tests: a fake engine whose parent channel the test reads. */
#ifndef TERN_ENGINE_FIXTURE_H
#define TERN_ENGINE_FIXTURE_H

#include "engine.h"
#include "sigmsg.h"

/* What the engine asked of the parent since the last fixture_collect. */
#define FIXTURE_SEEN_MAX	8
struct fixture_seen {
	int			 nset, ndel;
	struct imsg_wg_peer	 set[FIXTURE_SEEN_MAX];
	struct nm_entry		 entry[FIXTURE_SEEN_MAX];	/* netmap peers */
	struct imsg_wg_peer_del	 del[FIXTURE_SEEN_MAX];
};

void		 fixture_engine(void);
void		 fixture_collect(struct fixture_seen *);
void		 fixture_peer(struct sigmsg_peer *, const char *, uint8_t,
		    size_t, size_t);
void		 fixture_netmap(struct sigmsg_netmap *, size_t);
struct peer	*fixture_find(const char *);

#endif
