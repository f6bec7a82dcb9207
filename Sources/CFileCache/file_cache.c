#define _GNU_SOURCE
#include "CFileCache.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

long sparkify_read_if_cached(int descriptor, void *buffer, unsigned long length) {
    struct iovec vector = {buffer, length};
    // Offset -1: at the file's position, which the read moves on, like read(2).
    return (long)preadv2(descriptor, &vector, 1, -1, RWF_NOWAIT);
}

int sparkify_prefetch_file(const char *path) {
    int descriptor = open(path, O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) return errno;
    int result = posix_fadvise(descriptor, 0, 0, POSIX_FADV_WILLNEED);
    close(descriptor);
    return result;
}
