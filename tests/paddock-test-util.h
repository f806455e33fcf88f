/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-test-util.h: helpers shared by the test programs */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A fresh directory under $XDG_DATA_HOME/paddock-tests (the test session's own, kept until the
 * session ends so that the final secrets scan sees every file a test wrote). */
static inline char *
paddock_test_make_dir (const char *name)
{
  g_autofree char *base = g_build_filename (g_get_user_data_dir (), "paddock-tests", NULL);
  g_autofree char *template = NULL;
  char *dir;

  g_mkdir_with_parents (base, 0700);
  template = g_build_filename (base, "XXXXXX", NULL);
  dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (dir);

  if (name != NULL)
    {
      char *sub = g_build_filename (dir, name, NULL);

      g_mkdir_with_parents (sub, 0700);
      g_free (dir);
      return sub;
    }

  return dir;
}

static inline void
paddock_test_store_result (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the default main context until an async call stored its result (bounded). */
static inline GAsyncResult *
paddock_test_wait_seconds (GAsyncResult **result,
                           guint          seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (*result == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      if (*result == NULL)
        g_usleep (500);
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }

  return *result;
}

static inline GAsyncResult *
paddock_test_wait (GAsyncResult **result)
{
  return paddock_test_wait_seconds (result, 60);
}

/* PADDOCK_TEST_CALL (res, paddock_store_flush_async (store, NULL, ...)) hides the boilerplate. */
#define PADDOCK_TEST_ASYNC(result_var) paddock_test_store_result, &(result_var)

G_END_DECLS
