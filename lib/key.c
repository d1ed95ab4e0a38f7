/* Curve25519 keys: generation, base64 and hex forms, key files. */
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "key.h"
#include "regfile.h"

#define KEY_FILE_MAX	128	/* a key file is one base64 line */

void
key_generate(uint8_t key[KEY_LEN])
{
	randombytes_buf(key, KEY_LEN);
	/* Clamp as WireGuard does, so "wg pubkey" agrees with us. */
	key[0] &= 248;
	key[31] &= 127;
	key[31] |= 64;
}

void
key_public(const uint8_t priv[KEY_LEN], uint8_t pub[KEY_LEN])
{
	crypto_scalarmult_base(pub, priv);
}

int
key_from_b64(const char *s, uint8_t key[KEY_LEN])
{
	size_t	 len;

	if (strlen(s) != KEY_B64LEN - 1)
		return -1;
	if (sodium_base642bin(key, KEY_LEN, s, KEY_B64LEN - 1, NULL, &len,
	    NULL, sodium_base64_VARIANT_ORIGINAL) != 0 || len != KEY_LEN)
		return -1;
	return 0;
}

void
key_to_b64(const uint8_t key[KEY_LEN], char out[KEY_B64LEN])
{
	sodium_bin2base64(out, KEY_B64LEN, key, KEY_LEN,
	    sodium_base64_VARIANT_ORIGINAL);
}

void
key_to_hex(const uint8_t key[KEY_LEN], char out[KEY_HEXLEN])
{
	sodium_bin2hex(out, KEY_HEXLEN, key, KEY_LEN);
}

int
key_from_hex(const char *s, uint8_t key[KEY_LEN])
{
	size_t	 len;

	if (strlen(s) != KEY_HEXLEN - 1)
		return -1;
	if (sodium_hex2bin(key, KEY_LEN, s, KEY_HEXLEN - 1, NULL, &len,
	    NULL) != 0 || len != KEY_LEN)
		return -1;
	return 0;
}

/*
 * A private key file must be a regular file that only its owner can read
 * or write, like ssh demands of its keys; anything else is refused.
 */
int
key_read_file(const char *path, uint8_t key[KEY_LEN], char *err, size_t errlen)
{
	char		 buf[KEY_FILE_MAX];
	struct stat	 st;
	const char	*errstr;
	ssize_t		 n;
	int		 fd;

	if ((fd = regfile_open(path, O_NOFOLLOW, &st, &errstr)) == -1) {
		snprintf(err, errlen, "%s: %s", path, errstr);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: mode %04o is too open, want 0600",
		    path, (unsigned int)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (key_from_b64(buf, key) == -1) {
		sodium_memzero(buf, sizeof(buf));
		snprintf(err, errlen, "%s: not a base64 key of %d bytes",
		    path, KEY_LEN);
		return -1;
	}
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

int
key_write_file(const char *path, const uint8_t key[KEY_LEN], char *err,
    size_t errlen)
{
	char	 b64[KEY_B64LEN];
	int	 fd, rv = 0;

	/* O_EXCL: an existing key is never overwritten. */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	key_to_b64(key, b64);
	if (dprintf(fd, "%s\n", b64) != KEY_B64LEN) {
		snprintf(err, errlen, "%s: write failed", path);
		rv = -1;
	}
	if (rv == 0 && fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rv = -1;
	}
	if (close(fd) == -1 && rv == 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rv = -1;
	}
	sodium_memzero(b64, sizeof(b64));
	if (rv == -1)
		unlink(path);
	return rv;
}
