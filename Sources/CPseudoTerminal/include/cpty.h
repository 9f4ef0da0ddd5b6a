#ifndef USPBRIDGE_CPTY_H
#define USPBRIDGE_CPTY_H
#include <stddef.h>

/// Opens a pseudo-terminal master (non-controlling), unlocks it and writes the slave's path
/// into `name` (NUL-terminated). Returns the master descriptor, or -1 with errno set.
int uspbridge_open_pty(char *name, size_t capacity);

#endif
