#include "net/transport.h"
