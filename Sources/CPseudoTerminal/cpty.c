#define _XOPEN_SOURCE 600
#include "cpty.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int uspbridge_open_pty(char *name, size_t capacity) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0) { int e = errno; close(fd); errno = e; return -1; }
    const char *slave = ptsname(fd);
    if (slave == NULL || strlen(slave) + 1 > capacity) { close(fd); errno = ENAMETOOLONG; return -1; }
    memcpy(name, slave, strlen(slave) + 1);
    return fd;
}
