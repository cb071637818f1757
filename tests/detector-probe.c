/* detector-probe.c — an external detector program for tests/test-external.c:
 * it reads the request, checks fd 3 holds a TIFF, tries to get out of its
 * sandbox (network, files outside its scan) and reports each attempt as a
 * finding's figures.  Plain C, no GLib.
 *
 * Its "mode" parameter: "report" (the default), "sleep" (forever), "alloc"
 * (2 GiB, touched), "garbage" (not JSON), "exit3", "crash" (SIGSEGV), "noread" (closes stdin unread,
 * answers no findings).  Its "build" and "home"
 * parameters name more paths to try (the build folder, $HOME); they come
 * through the request as strings, read here with a small scan of the JSON
 * text (no JSON library: the test gives plain strings).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char request[1 << 20];
static size_t request_length;

/* The request's first KiB (its "mode" is there when the manifest is
 * null, as in test-external.c), then the rest. */
static void
read_upto (size_t want)
{
  ssize_t r;

  while (request_length < want && (r = read (0, request + request_length, want - request_length)) > 0)
    request_length += (size_t) r;
  request[request_length] = '\0';
}

static void
read_start (void)
{
  read_upto (1024);
}

static void
read_request (void)
{
  read_upto (sizeof request - 1);
}

/* The string after "KEY" : " in the request, copied into @out, or "". */
static void
string_after (const char *from,
              const char *key,
              char       *out,
              size_t      size)
{
  const char *p = strstr (from, key);
  size_t n = 0;

  out[0] = '\0';
  if (p == NULL || (p = strchr (p + strlen (key), '"')) == NULL)
    return;
  for (p++; *p && *p != '"' && n + 1 < size; p++)
    out[n++] = *p;
  out[n] = '\0';
}

static void
report (const char *name,
        const char *what,
        int         first)
{
  printf ("%s\"%s\": \"%s\"", first ? "" : ", ", name, what);
}

/* "ALLOWED", or "refused: " and errno's message. */
static void
outcome (int     ok,
         char   *buffer,
         size_t  size)
{
  if (ok)
    snprintf (buffer, size, "ALLOWED");
  else
    snprintf (buffer, size, "refused: %s", strerror (errno));
}

static int
try_tcp (void)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons (22) };
  int fd = socket (AF_INET, SOCK_STREAM, 0), ok;

  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0)
    return 0;
  ok = connect (fd, (struct sockaddr *) &a, sizeof a) == 0;
  close (fd);
  return ok;
}

static int
try_udp (void)
{
  struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons (53) };
  int fd = socket (AF_INET, SOCK_DGRAM, 0), ok;

  a.sin_addr.s_addr = htonl (0x08080808);
  if (fd < 0)
    return 0;
  ok = sendto (fd, "x", 1, 0, (struct sockaddr *) &a, sizeof a) == 1;
  close (fd);
  return ok;
}

static int
try_open (const char *path)
{
  int fd = open (path, O_RDONLY);

  if (fd < 0)
    return 0;
  close (fd);
  return 1;
}

static const char *
check_scan (void)
{
  unsigned char head[4];

  if (read (3, head, 4) != 4)
    return "unreadable";
  if (!((head[0] == 'I' && head[1] == 'I' && head[2] == 42 && head[3] == 0)
        || (head[0] == 'M' && head[1] == 'M' && head[2] == 0 && head[3] == 42)))
    return "not a TIFF";
  if (write (3, "x", 1) == 1)
    return "TIFF, writable";
  return "TIFF, read-only";
}

static void
write_report (const char *mode)
{
  char buffer[256], path[4096];
  const char *fixed[] = { "/etc/passwd", "/root", "/home", "/proc/self/status", "/sys", NULL };
  const char *keys[] = { "\"build\"", "\"home\"", NULL };

  printf ("{\"format\": \"doorlicht-findings/1\", \"findings\": [{\"kind\": \"probe\", \"view\": 0, "
          "\"outline\": null, \"score\": 0.5, \"explanation\": \"What the sandbox allowed\", \"figures\": {");
  report ("mode", mode, 1);
  report ("scan", check_scan (), 0);
  outcome (try_tcp (), buffer, sizeof buffer);
  report ("tcp", buffer, 0);
  outcome (try_udp (), buffer, sizeof buffer);
  report ("udp", buffer, 0);
  for (int i = 0; fixed[i]; i++)
    {
      outcome (try_open (fixed[i]), buffer, sizeof buffer);
      report (fixed[i], buffer, 0);
    }
  for (int i = 0; keys[i]; i++)
    {
      string_after (strstr (request, "\"parameters\"") ? strstr (request, "\"parameters\"") : request,
                    keys[i], path, sizeof path);
      if (path[0] == '\0')
        continue;
      outcome (try_open (path), buffer, sizeof buffer);
      report (keys[i][1] == 'b' ? "build" : "home", buffer, 0);
    }
  report ("env_home", getenv ("HOME") ? getenv ("HOME") : "unset", 0);
  printf ("}}]}\n");
}

int
main (void)
{
  char mode[64];

  read_start ();
  string_after (strstr (request, "\"parameters\"") ? strstr (request, "\"parameters\"") : request, "\"mode\"",
                mode, sizeof mode);
  fprintf (stderr, "probe: mode %s\n", mode);
  if (strcmp (mode, "noread") == 0)
    {
      close (0);
      usleep (200000);
      printf ("{\"format\": \"doorlicht-findings/1\", \"findings\": []}\n");
      return 0;
    }
  read_request ();
  if (strcmp (mode, "sleep") == 0)
    for (;;)
      pause ();
  if (strcmp (mode, "alloc") == 0)
    {
      size_t size = (size_t) 2 << 30;
      char *p = malloc (size);

      if (p == NULL)
        {
          fprintf (stderr, "probe: cannot allocate 2 GiB: %s\n", strerror (errno));
          return 4;
        }
      memset (p, 1, size);
      printf ("{\"format\": \"doorlicht-findings/1\", \"findings\": []}\n");
      return 0;
    }
  if (strcmp (mode, "garbage") == 0)
    {
      printf ("this is not JSON {{{\n");
      return 0;
    }
  if (strcmp (mode, "exit3") == 0)
    {
      fprintf (stderr, "probe: giving up with status 3\n");
      return 3;
    }
  if (strcmp (mode, "crash") == 0)
    {
      fprintf (stderr, "probe: crashing\n");
      fflush (stderr);
      raise (SIGSEGV);
    }
  write_report (mode);
  return 0;
}
