#ifndef ROSTER_CCURL_SHIM_H
#define ROSTER_CCURL_SHIM_H
/*
 * curl_easy_setopt and curl_easy_getinfo are C variadics, which Swift cannot call.
 * One typed wrapper per argument type gives Swift a checked door to each of them.
 */
#include <curl/curl.h>

typedef size_t (*roster_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode roster_curl_setopt_long(CURL *handle, CURLoption option, long value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode roster_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode roster_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode roster_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode roster_curl_setopt_callback(CURL *handle, CURLoption option, roster_curl_data_callback value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode roster_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
  return curl_easy_setopt(handle, option, value);
}

typedef int (*roster_curl_progress_callback)(void *context, curl_off_t dltotal, curl_off_t dlnow,
                                              curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode roster_curl_setopt_progress(CURL *handle, CURLoption option, roster_curl_progress_callback value) {
  return curl_easy_setopt(handle, option, value);
}

static inline CURLcode roster_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
  return curl_easy_getinfo(handle, info, value);
}

#endif
