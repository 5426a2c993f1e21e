# Third-party libraries as pkg-config imported targets (Debian packages; see
# dev/install-deps.sh). Each of our targets links only what it is allowed to use:
# shared/ never sees curl or microhttpd, plugin/ never microhttpd, webhook/ never curl.
find_package(PkgConfig REQUIRED)
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(OPENSSL REQUIRED IMPORTED_TARGET openssl)
pkg_check_modules(CURL REQUIRED IMPORTED_TARGET libcurl)
pkg_check_modules(MHD REQUIRED IMPORTED_TARGET libmicrohttpd)
pkg_check_modules(GNUTLS REQUIRED IMPORTED_TARGET gnutls)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
find_package(Threads REQUIRED)

execute_process(COMMAND curl-config --ssl-backends OUTPUT_VARIABLE RTDP_CURL_SSL
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(RTDP_CURL_SSL AND NOT RTDP_CURL_SSL MATCHES "OpenSSL")
  message(FATAL_ERROR "libcurl must be the OpenSSL flavour (libcurl4-openssl-dev), found: ${RTDP_CURL_SSL}")
endif()
