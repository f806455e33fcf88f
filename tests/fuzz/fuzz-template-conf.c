/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-template-conf.c: libFuzzer target for the template.conf reader (bash assignments, never run) */

#include "config.h"

#include "paddock-template-parse-private.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  fuzz_abort_on_criticals ();

  values = _paddock_conf_parse ((const char *) data, size, "template.conf", warnings, &error);
  if (values == NULL)
    {
      /* Every refusal names the file and a line. */
      g_assert (error != NULL && g_str_has_prefix (error->message, "template.conf:"));
      return 0;
    }

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const PaddockConfValue *conf_value = value;

      g_assert (g_utf8_validate (conf_value->value, -1, NULL));
      g_assert (conf_value->line >= 1);
    }

  return 0;
}
