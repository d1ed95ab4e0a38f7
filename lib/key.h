/* Curve25519 keys: generation, base64 and hex forms, key files. */
#ifndef TERN_KEY_H
#define TERN_KEY_H

#include <stddef.h>
#include <stdint.h>

#define KEY_LEN		32	/* Curve25519 key, as WireGuard uses */
#define KEY_B64LEN	45	/* 44 base64 characters and NUL */
#define KEY_HEXLEN	65	/* 64 hex digits and NUL */

/* File names inside the key directory. */
#define KEY_FILE_WG	"wireguard.key"
#define KEY_FILE_NODE	"node.key"

void	 key_generate(uint8_t [KEY_LEN]);
void	 key_public(const uint8_t [KEY_LEN], uint8_t [KEY_LEN]);
int	 key_from_b64(const char *, uint8_t [KEY_LEN]);
void	 key_to_b64(const uint8_t [KEY_LEN], char [KEY_B64LEN]);
void	 key_to_hex(const uint8_t [KEY_LEN], char [KEY_HEXLEN]);
int	 key_from_hex(const char *, uint8_t [KEY_LEN]);
int	 key_read_file(const char *, uint8_t [KEY_LEN], char *, size_t);
int	 key_write_file(const char *, const uint8_t [KEY_LEN], char *, size_t);

#endif
