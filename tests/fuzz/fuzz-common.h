/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h: what every fuzz target shares */

#pragma once

#include <glib.h>
#include <stdlib.h>

static void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  /* A critical or warning is a bug in a parser: abort() so that libFuzzer keeps the input. */
  g_printerr ("%s: %s\n", domain ? domain : "", message);
  if (level & (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING | G_LOG_LEVEL_ERROR))
    abort ();
}

static inline void
fuzz_abort_on_criticals (void)
{
  static gsize done;

  if (g_once_init_enter (&done))
    {
      g_log_set_default_handler (fuzz_log_handler, NULL);
      g_once_init_leave (&done, 1);
    }
}
