/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-probe-parsers.c: libFuzzer target for each parser of a container's tool output on its
 * own (the first byte picks: ss, systemctl show, /proc/PID/cgroup, credentials, framing) */

#include "config.h"

#include <string.h>

#include "paddock-probe-parse-private.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = NULL;
  guint which;

  fuzz_abort_on_criticals ();

  if (size == 0)
    return 0;
  which = data[0] % 5;
  data++, size--;
  /* The parsers of whole sections get C strings, as the framing hands them over. */
  text = g_strndup ((const char *) data, size);

  switch (which)
    {
    case 0:
      {
        g_autoptr(GPtrArray) sockets = paddock_parse_ss (text, "tcp");

        g_assert (sockets->len <= PADDOCK_PROBE_MAX_SOCKETS);
        for (guint i = 0; i < sockets->len; i++)
          {
            PaddockSocketRecord *socket = g_ptr_array_index (sockets, i);

            g_assert (socket->address != NULL && *socket->address != '\0');
            g_assert (socket->pids->len == socket->commands->len);
            g_assert (socket->pids->len <= PADDOCK_PROBE_MAX_PIDS);
          }
      }
      break;

    case 1:
      {
        g_autoptr(GPtrArray) units = paddock_parse_systemctl_show (text);

        g_assert (units->len <= PADDOCK_PROBE_MAX_UNITS);
        for (guint i = 0; i < units->len; i++)
          g_assert (g_utf8_validate (g_hash_table_lookup (g_ptr_array_index (units, i), "Id"), -1, NULL));
      }
      break;

    case 2:
      {
        g_autoptr(GHashTable) units = paddock_parse_pid_units (text);
        GHashTableIter iter;
        gpointer key, value;

        g_hash_table_iter_init (&iter, units);
        while (g_hash_table_iter_next (&iter, &key, &value))
          g_assert (GPOINTER_TO_INT (key) > 0 && g_str_has_suffix (value, ".service"));
      }
      break;

    case 3:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) pairs = paddock_parse_credentials ((const char *) data, size, "/fuzz", &error);

        g_assert ((pairs == NULL) == (error != NULL));
        for (guint i = 0; pairs && i < pairs->len; i++)
          {
            PaddockCredentialRecord *pair = g_ptr_array_index (pairs, i);

            g_assert (*pair->key != '\0' && strchr (pair->key, '=') == NULL);
            g_assert (g_utf8_validate (pair->value, -1, NULL));
          }
      }
      break;

    default:
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(GPtrArray) sections = paddock_probe_split ((const char *) data, size, "abc", &error);

        g_assert ((sections == NULL) == (error != NULL));
        g_assert (sections == NULL || sections->len <= PADDOCK_PROBE_MAX_SECTIONS);
      }
      break;
    }

  return 0;
}
