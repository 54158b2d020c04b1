// The one file of a separately compiled consumer that compiles the client and the receiver
// (README "Separate compilation"); main.cpp, built with LANGGRAPH_WEBHOOKS_SEPARATE_COMPILATION,
// links to them.
#define LANGGRAPH_WEBHOOKS_IMPLEMENTATION
#include <langgraph_webhooks.hpp>
