// Compile-cost probe: the header included and nothing of it used — what every file that
// includes it pays before calling anything (parsing, and the templates its inline functions
// instantiate), next to the hand-written round trip.
#include "langgraph_webhooks.hpp"

int main() { return 0; }
