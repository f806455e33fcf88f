/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-probe-output.c: libFuzzer target for a whole probe answer from a container (framing,
 * systemctl show, ss, cgroups, credentials, config-manager) and its cache round trip */

#include "config.h"

#include <string.h>

#include "paddock-probe.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(PaddockProbeResult) result = NULL;
  g_autoptr(PaddockProbeResult) again = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_abort_on_criticals ();

  result = paddock_probe_parse_output ((const char *) data, size, "0123456789abcdef", &error);
  if (result == NULL)
    {
      g_assert (error != NULL && error->domain == PADDOCK_PROBE_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  for (guint i = 0; i < result->services->len; i++)
    {
      PaddockService *service = g_ptr_array_index (result->services, i);
      GPtrArray *ports = paddock_service_get_ports (service);

      g_assert (g_utf8_validate (paddock_service_get_unit (service), -1, NULL));
      for (guint p = 0; p < ports->len; p++)
        {
          g_autofree char *label = paddock_port_dup_label (g_ptr_array_index (ports, p));
          g_autofree char *url = paddock_port_dup_url (g_ptr_array_index (ports, p), "10.0.0.1", FALSE);

          g_assert (g_utf8_validate (label, -1, NULL));
          g_assert (url == NULL || g_str_has_prefix (url, "http"));
        }
    }

  /* Whatever was parsed is cached and read back to the same. */
  json = paddock_probe_result_to_json (result);
  again = paddock_probe_result_new_from_json (json, &error);
  g_assert (again != NULL);
  json_again = paddock_probe_result_to_json (again);
  g_assert (strcmp (json, json_again) == 0);

  return 0;
}
