/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-property-string.c: libFuzzer target for property strings (net0, rootfs, mpN, features), sizes, UPIDs */

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
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(PaddockNetInterface) net = NULL;
  g_autoptr(PaddockMount) mount = NULL;
  PaddockUpid upid;

  values = paddock_pve_parse_property_string (text, size % 2 ? "volume" : NULL, NULL);
  net = paddock_net_interface_parse ("net0", text, NULL);
  mount = paddock_mount_parse ("mp0", text, NULL);
  (void) paddock_pve_parse_size (text);

  if (paddock_pve_parse_upid (text, &upid, NULL))
    {
      g_assert (upid.node != NULL && upid.type != NULL && upid.user != NULL);
      paddock_upid_clear (&upid);
    }

  return 0;
}
