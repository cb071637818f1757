/* gui-test-util.h — what every GUI test needs: waiting on the main loop
 * for a condition, counting painted frames, real input through xdotool.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until @condition holds; FALSE after @timeout_ms. */
static inline gboolean
wait_until (Condition condition,
            gpointer  data,
            guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

/* GdkFrameClock::after-paint handler counting frames into *@frames. */
static inline void
on_after_paint (GdkFrameClock *clock,
                guint         *frames)
{
  (*frames)++;
}

/* For wait_until: f[0] (frames painted) has reached f[1]. */
static inline gboolean
frames_at_least (gpointer data)
{
  guint *f = data;
  return f[0] >= f[1];
}

/* Runs `xdotool ARGS`; FALSE (with a test message) when it fails. */
static inline gboolean
spawn_xdotool (const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("xdotool %s", args);
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (!g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error))
    {
      g_test_message ("xdotool: %s", error->message);
      return FALSE;
    }
  return g_spawn_check_wait_status (status, NULL);
}
