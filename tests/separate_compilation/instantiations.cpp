// The one translation unit that compiles the library's default client and receiver when the
// program is built with LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION (see main.cpp).
#define LANGGRAPH_WEBHOOKS_IMPLEMENTATION
#include "langgraph_webhooks.hpp"
