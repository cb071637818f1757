/* dicom-reader-probe.c — a stand-in for doorlicht-dicom-reader in
 * test-dicom-reader: what a reader that GDCM got the better of might do,
 * chosen by the first word of the "file" it is given (fd 3):
 *
 *   abort, segv   die by that signal
 *   exit3         exit with status 3
 *   junk          write what is not the reader's JSON
 *   silent        exit 0 having written nothing
 *   hog           allocate until the memory limit stops it
 *   sleep         sleep for a minute (to be cancelled)
 *   escape        try a file outside the sandbox and a socket, and say
 *                 how each went as a "damaged" answer's detail
 *
 * Plain C, never sanitized (as the reader: the memory limit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <unistd.h>

static void
escape (const char *outside)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (80), .sin_addr.s_addr = htonl (0x7f000001) };
  int fd = open (outside, O_RDONLY);
  int open_errno = errno;
  int sock = socket (AF_INET, SOCK_STREAM, 0);
  int sock_errno = errno, connected = -1, connect_errno = 0;

  if (sock >= 0)
    {
      connected = connect (sock, (struct sockaddr *) &addr, sizeof addr);
      connect_errno = errno;
    }
  printf ("{\"protocol\":\"doorlicht-dicom-read/1\",\"open\":{\"status\":\"damaged\",\"detail\":"
          "\"open %s: %s; socket: %s; connect: %s\"}}",
          outside, fd >= 0 ? "opened" : strerror (open_errno), sock >= 0 ? "made" : strerror (sock_errno),
          connected == 0 ? "connected" : sock < 0 ? "-" : strerror (connect_errno));
}

int
main (void)
{
  char word[256] = { 0 };
  ssize_t n = pread (3, word, sizeof word - 1, 0);
  char *outside;

  if (n <= 0)
    return 9;
  if (strncmp (word, "abort", 5) == 0)
    abort ();
  if (strncmp (word, "segv", 4) == 0)
    raise (SIGSEGV);
  if (strncmp (word, "exit3", 5) == 0)
    return 3;
  if (strncmp (word, "junk", 4) == 0)
    return printf ("{\"protocol\": [1, 2, \"not the reader\"") < 0;
  if (strncmp (word, "silent", 6) == 0)
    return 0;
  if (strncmp (word, "sleep", 5) == 0)
    return sleep (60) == 0 ? 0 : 6;
  if (strncmp (word, "hog", 3) == 0)
    for (;;)
      {
        char *p = malloc (64 << 20);

        if (p == NULL)
          return 7;
        memset (p, 1, 64 << 20);
      }
  if (strncmp (word, "escape ", 7) == 0)
    {
      outside = word + 7;
      outside[strcspn (outside, "\n")] = '\0';
      escape (outside);
      return 0;
    }
  return 8;
}
