#ifndef SPARKIFY_CCURL_H
#define SPARKIFY_CCURL_H
// libcurl carries S3's HTTP (keep-alive, TLS, timeouts) and OpenSSL's libcrypto the SHA-256 and
// HMAC that Signature Version 4 needs; both are Debian's, and libcrypto is already linked for
// libpq. curl_easy_setopt is variadic, which Swift cannot call: these wrappers give it types.
#include <curl/curl.h>
#include <stddef.h>

typedef size_t (*sparkify_curl_data_callback)(char *data, size_t size, size_t count, void *context);

CURLcode sparkify_curl_set_text(CURL *handle, CURLoption option, const char *value);
CURLcode sparkify_curl_set_number(CURL *handle, CURLoption option, long value);
CURLcode sparkify_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode sparkify_curl_set_body_callback(CURL *handle, sparkify_curl_data_callback callback, void *context);
CURLcode sparkify_curl_set_header_callback(CURL *handle, sparkify_curl_data_callback callback, void *context);
long sparkify_curl_status(CURL *handle);

void sparkify_sha256(const void *data, size_t length, unsigned char digest[32]);
void sparkify_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length,
                          unsigned char digest[32]);
#endif
