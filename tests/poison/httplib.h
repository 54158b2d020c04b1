// On the include path of the no-httplib build only, ahead of the system's httplib.h: a build
// with LANGGRAPH_WEBHOOKS_NO_HTTPLIB must not include cpp-httplib at all.
#error "httplib.h was included although LANGGRAPH_WEBHOOKS_NO_HTTPLIB is defined"
