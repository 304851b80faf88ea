/* OpenSSL, loaded on first use: libcrypto for the audit log's SHA-256,
 * libssl for test-imapconnectivity. Nothing links them, so every other run
 * skips their load and relocation (2.5M instructions in ld.so). */
#ifndef IMAPADM_DATA_OSSL_LOAD_H
#define IMAPADM_DATA_OSSL_LOAD_H

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

enum ossl_lib {
	OSSL_LIB_CRYPTO,	/* libcrypto.so.3 */
	OSSL_LIB_SSL,		/* libssl.so.3, with libcrypto */
	OSSL_LIB_COUNT
};

/*
 * Every OpenSSL function imapadm calls: the library it comes from and its
 * name. Each is called as sym_NAME, a pointer of the real prototype's type
 * (from OpenSSL's headers), once ossl_load() of its library succeeded.
 * OpenSSL's function-like macros are not here: write them as the call they
 * expand to (SSL_CTX_set_min_proto_version is sym_SSL_CTX_ctrl).
 */
#define OSSL_LOAD_SYMS							\
	X(CRYPTO, ERR_clear_error)					\
	X(CRYPTO, ERR_error_string_n)					\
	X(CRYPTO, ERR_get_error)					\
	X(CRYPTO, ERR_peek_error)					\
	X(CRYPTO, EVP_DigestFinal_ex)					\
	X(CRYPTO, EVP_DigestInit_ex)					\
	X(CRYPTO, EVP_DigestUpdate)					\
	X(CRYPTO, EVP_MD_CTX_new)					\
	X(CRYPTO, EVP_MD_fetch)						\
	X(CRYPTO, X509_NAME_oneline)					\
	X(CRYPTO, X509_VERIFY_PARAM_set1_ip_asc)			\
	X(CRYPTO, X509_free)						\
	X(CRYPTO, X509_get_subject_name)				\
	X(CRYPTO, X509_verify_cert_error_string)			\
	X(SSL, SSL_CIPHER_get_name)					\
	X(SSL, SSL_CTX_ctrl)						\
	X(SSL, SSL_CTX_free)						\
	X(SSL, SSL_CTX_load_verify_locations)				\
	X(SSL, SSL_CTX_new)						\
	X(SSL, SSL_CTX_set_default_verify_paths)			\
	X(SSL, SSL_CTX_set_verify)					\
	X(SSL, SSL_connect)						\
	X(SSL, SSL_ctrl)						\
	X(SSL, SSL_free)						\
	X(SSL, SSL_get0_param)						\
	X(SSL, SSL_get1_peer_certificate)				\
	X(SSL, SSL_get_current_cipher)					\
	X(SSL, SSL_get_error)						\
	X(SSL, SSL_get_verify_result)					\
	X(SSL, SSL_get_version)						\
	X(SSL, SSL_new)							\
	X(SSL, SSL_read)						\
	X(SSL, SSL_set1_host)						\
	X(SSL, SSL_set_fd)						\
	X(SSL, SSL_shutdown)						\
	X(SSL, SSL_write)						\
	X(SSL, TLS_client_method)

#define X(lib, name)	extern __typeof__(name) *sym_##name;
OSSL_LOAD_SYMS
#undef X

/*
 * Loads lib (libssl loads libcrypto first) by its soname from the system's
 * library path and resolves its functions, once per process: 0, or -1 and
 * *cause naming the library or the function and dlerror()'s reason. A
 * failure is kept: later calls return it again without retrying.
 */
int		 ossl_load(enum ossl_lib, char **cause);

#endif
