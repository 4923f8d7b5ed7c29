#include "core/sse_parser.h"
