// browser_network: the Network the page (and imchat_headless under Node) uses: the global
// EventSource and fetch() through embind.
#pragma once
#include "net/transport.h"

namespace imchat {

Network& browser_network();

}  // namespace imchat
