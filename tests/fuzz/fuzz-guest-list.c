/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-guest-list.c: libFuzzer target for the jsmn reader of /cluster/resources bodies */

#include "config.h"

#include <math.h>

#include "paddock-pve-parse-private.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_abort_on_criticals ();
  g_autoptr(GPtrArray) guests = NULL;
  g_autoptr(GError) error = NULL;

  guests = paddock_pve_parse_guest_list ((const char *) data, size, size % 2 == 0, &error);
  g_assert ((guests == NULL) == (error != NULL));

  for (guint i = 0; guests != NULL && i < guests->len; i++)
    {
      const PaddockGuestRecord *record = guests->pdata[i];

      g_assert (record->vmid > 0);
      g_assert (record->name == NULL || g_utf8_validate (record->name, -1, NULL));
      /* Shown as text: no control or bidi formatting characters; numbers that mean something. */
      for (const char *p = record->name; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
        g_assert (g_utf8_get_char (p) >= 0x20 && (g_utf8_get_char (p) < 0x202A || g_utf8_get_char (p) > 0x202E));
      g_assert (isfinite (record->cpu) && record->cpu >= 0);
      g_assert (record->uptime >= 0 && record->mem >= 0 && record->maxmem >= 0);
    }

  return 0;
}
