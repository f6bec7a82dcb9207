#ifndef SPARKIFY_CFILECACHE_H
#define SPARKIFY_CFILECACHE_H

/// Reads up to `length` bytes at the file's position, but only what the page cache already
/// holds: the bytes read, or -1 with errno EAGAIN when they would have to come from the disk.
/// (preadv2 with RWF_NOWAIT, which Swift's Glibc module does not declare.)
long sparkify_read_if_cached(int descriptor, void *buffer, unsigned long length);

/// Asks the kernel to start reading the whole file into the page cache, without waiting for it.
/// 0 on success, else an errno value.
int sparkify_prefetch_file(const char *path);

#endif
