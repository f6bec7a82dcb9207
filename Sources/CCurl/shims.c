#include "CCurl.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>

CURLcode sparkify_curl_set_text(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode sparkify_curl_set_number(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode sparkify_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

CURLcode sparkify_curl_set_body_callback(CURL *handle, sparkify_curl_data_callback callback, void *context) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    return code != CURLE_OK ? code : curl_easy_setopt(handle, CURLOPT_WRITEDATA, context);
}

CURLcode sparkify_curl_set_header_callback(CURL *handle, sparkify_curl_data_callback callback, void *context) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
    return code != CURLE_OK ? code : curl_easy_setopt(handle, CURLOPT_HEADERDATA, context);
}

long sparkify_curl_status(CURL *handle) {
    long status = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

void sparkify_sha256(const void *data, size_t length, unsigned char digest[32]) {
    unsigned int size = 32;
    EVP_Digest(data, length, digest, &size, EVP_sha256(), NULL);
}

void sparkify_hmac_sha256(const void *key, size_t key_length, const void *data, size_t length,
                          unsigned char digest[32]) {
    unsigned int size = 32;
    HMAC(EVP_sha256(), key, (int)key_length, data, length, digest, &size);
}
