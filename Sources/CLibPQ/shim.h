#ifndef SPARKIFY_CLIBPQ_SHIM_H
#define SPARKIFY_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
