/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-rrd.c: libFuzzer target for …/rrddata (the graphs' samples): whatever the server sends,
 * the points are in time order and each value is a gap (NaN) or a finite, non-negative number */

#include "config.h"

#include <math.h>

#include "paddock-pve-parse-private.h"
#include "paddock-pve-types.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
check_value (double value)
{
  g_assert (isnan (value) || (isfinite (value) && value >= 0));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  fuzz_abort_on_criticals ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GError) error = NULL;

  node = paddock_pve_parse_envelope ((const char *) data, size, 200, "OK", NULL, NULL);
  if (node == NULL)
    return 0;

  points = paddock_rrd_points_from_json (node, &error);
  g_assert ((points == NULL) == (error != NULL));

  for (guint i = 0; points != NULL && i < points->len; i++)
    {
      const PaddockRrdPoint *point = &g_array_index (points, PaddockRrdPoint, i);

      g_assert (point->time > 0);
      g_assert (i == 0 || g_array_index (points, PaddockRrdPoint, i - 1).time <= point->time);
      check_value (point->cpu);
      check_value (point->maxcpu);
      check_value (point->mem);
      check_value (point->maxmem);
      check_value (point->disk);
      check_value (point->maxdisk);
      check_value (point->netin);
      check_value (point->netout);
      check_value (point->diskread);
      check_value (point->diskwrite);
    }

  return 0;
}
