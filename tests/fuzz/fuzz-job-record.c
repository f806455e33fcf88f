/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-job-record.c: libFuzzer target for a provisioning job as read back from the store (its
 * plan's JSON, its items' JSON: written by this or another Paddock, or damaged on disk) */

#include "config.h"

#include <string.h>

#include "paddock-job.h"

#include "fuzz-common.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  const char *nul = memchr (data, '\0', size);
  g_autoptr(PaddockJobRecord) record = paddock_job_record_new ();
  g_autoptr(PaddockJobPlan) plan = NULL;
  g_autoptr(PaddockJob) job = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_abort_on_criticals ();

  /* The plan alone: parsed, or refused with a message; what parses round-trips. */
  plan = paddock_job_plan_new_from_json (text, -1, &error);
  if (plan == NULL)
    g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
  else
    {
      g_autofree char *json = paddock_job_plan_to_json (plan);
      g_autoptr(PaddockJobPlan) again = paddock_job_plan_new_from_json (json, -1, NULL);
      g_autofree char *json_again = NULL;

      g_assert (again != NULL);
      json_again = paddock_job_plan_to_json (again);
      g_assert (strcmp (json, json_again) == 0);
      paddock_job_plan_validate (plan, NULL);
    }
  g_clear_error (&error);

  /* A whole row: params before the first NUL, items after it. */
  record->id = 7;
  record->params = g_strdup (text);
  record->items = nul != NULL ? g_strndup (nul + 1, size - (nul + 1 - (const char *) data)) : g_strdup (text);
  record->phase = g_strdup ("scripts");
  record->state = PADDOCK_JOB_FAILED;
  job = paddock_job_new_from_record (record, &error);
  if (job == NULL)
    {
      g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  {
    g_autoptr(PaddockJobRecord) written = paddock_job_to_record (job);
    g_autoptr(PaddockJob) reread = paddock_job_new_from_record (written, NULL);
    g_autoptr(PaddockJobRecord) rewritten = NULL;

    g_assert (reread != NULL);
    rewritten = paddock_job_to_record (reread);
    g_assert (strcmp (written->items, rewritten->items) == 0);
    g_assert (strcmp (written->params, rewritten->params) == 0);
  }

  return 0;
}
