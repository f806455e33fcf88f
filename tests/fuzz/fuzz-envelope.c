/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-envelope.c: libFuzzer target for the envelope, error and typed-result readers */

#include "config.h"

#include "paddock-pve-parse-private.h"
#include "paddock-pve-types.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_abort_on_criticals ();
  static const guint statuses[] = { 200, 400, 401, 403, 500, 501, 596 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  guint status = size > 0 ? statuses[data[0] % G_N_ELEMENTS (statuses)] : 200;

  node = paddock_pve_parse_envelope ((const char *) data, size, status, "Fuzzed reason", NULL, &error);
  if (node == NULL)
    {
      g_assert (error != NULL && error->domain == PADDOCK_PVE_ERROR);
      return 0;
    }

  /* Every typed reader must cope with whatever "data" holds. */
  {
    PaddockPveVersion *version;
    GPtrArray *a;
    GArray *b;
    PaddockGuestConfig *config;
    PaddockTaskInfo *task;

    if ((version = paddock_pve_version_from_json (node, NULL)))
      paddock_pve_version_free (version);
    {
      PaddockPveClusterStatus *cluster = paddock_pve_cluster_status_from_json (node, NULL);

      if (cluster != NULL)
        {
          g_free (paddock_pve_cluster_status_dup_offline (cluster));
          paddock_pve_cluster_status_free (cluster);
        }
    }
    if ((config = paddock_guest_config_from_json (node, NULL)))
      paddock_guest_config_free (config);
    if ((a = paddock_interfaces_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if ((b = paddock_rrd_points_from_json (node, NULL)))
      g_array_unref (b);
    if ((a = paddock_storages_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if ((a = paddock_volumes_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if ((a = paddock_appliances_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if ((a = paddock_bridges_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if ((a = paddock_tasks_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if ((a = paddock_task_lines_from_json (node, NULL)))
      g_ptr_array_unref (a);
    if (JSON_NODE_HOLDS_OBJECT (node) && (task = paddock_task_info_from_json (json_node_get_object (node), NULL)))
      paddock_task_info_free (task);
  }

  return 0;
}
