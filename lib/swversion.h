/* Dotted software versions ("0.1.10"), as netmap peers carry them. */
#ifndef TERN_SWVERSION_H
#define TERN_SWVERSION_H

/*
 * swversion_cmp returns -1, 0 or 1 as a is older than, the same as or
 * newer than b.  Both are split at dots into components compared left
 * to right: digits by their number ("0.1.9" < "0.1.10", any length), a
 * missing component as 0 ("1.2" == "1.2.0"), and other text, an empty
 * component included, as less than any number ("1.0.0-rc1" < "1.0.0",
 * "" < "0") and byte by byte against other text ("1.a" < "1.b").
 */
int	 swversion_cmp(const char *, const char *);

#endif
