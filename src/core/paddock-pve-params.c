/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-pve-params.c: a call's parameters (a form, secrets wiped) and escaped API paths */

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "paddock-pve-client.h"

struct _PaddockPveParams
{
  GPtrArray *keys;
  GPtrArray *values;
};

PaddockPveParams *
paddock_pve_params_new (void)
{
  PaddockPveParams *params = g_new0 (PaddockPveParams, 1);

  params->keys = g_ptr_array_new_with_free_func (g_free);
  params->values = g_ptr_array_new_with_free_func (g_free);

  return params;
}

void
paddock_pve_params_free (PaddockPveParams *params)
{
  if (params == NULL)
    return;

  for (guint i = 0; i < params->values->len; i++)
    {
      char *value = params->values->pdata[i];

      /* Values may be passwords: wipe them. */
      memset (value, 0, strlen (value));
    }
  g_ptr_array_unref (params->keys);
  g_ptr_array_unref (params->values);
  g_free (params);
}

void
paddock_pve_params_add (PaddockPveParams *params,
                        const char       *key,
                        const char       *value)
{
  g_return_if_fail (params != NULL);
  g_return_if_fail (key != NULL);
  g_return_if_fail (value != NULL);

  g_ptr_array_add (params->keys, g_strdup (key));
  g_ptr_array_add (params->values, g_strdup (value));
}

void
paddock_pve_params_add_int (PaddockPveParams *params,
                            const char       *key,
                            gint64            value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  paddock_pve_params_add (params, key, text);
}

/* Proxmox accepts only 0 and 1 for booleans in forms. */
void
paddock_pve_params_add_bool (PaddockPveParams *params,
                             const char       *key,
                             gboolean          value)
{
  paddock_pve_params_add (params, key, value ? "1" : "0");
}

const char *
paddock_pve_params_get (PaddockPveParams *params,
                        const char       *key)
{
  for (guint i = 0; params != NULL && i < params->keys->len; i++)
    if (g_str_equal (params->keys->pdata[i], key))
      return params->values->pdata[i];

  return NULL;
}

char *
paddock_pve_params_to_form (PaddockPveParams *params)
{
  GString *form = g_string_new (NULL);

  for (guint i = 0; params != NULL && i < params->keys->len; i++)
    {
      g_autofree char *key = g_uri_escape_string (params->keys->pdata[i], NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (params->values->pdata[i], NULL, FALSE);

      g_string_append_printf (form, "%s%s=%s", form->len ? "&" : "", key, value);
    }

  return g_string_free (form, FALSE);
}

char *
paddock_pve_params_to_display (PaddockPveParams *params)
{
  static const char *secret_keys[] = { "password", "tfa-challenge", "otp", NULL };
  GString *text = g_string_new (NULL);

  for (guint i = 0; params != NULL && i < params->keys->len; i++)
    {
      const char *key = params->keys->pdata[i];
      gboolean secret = g_strv_contains (secret_keys, key);

      g_string_append_printf (text, "%s%s=%s", text->len ? "\n" : "", key,
                              secret ? "••••••••" : (const char *) params->values->pdata[i]);
    }

  return g_string_free (text, FALSE);
}

char *
paddock_pve_path (const char *first_segment,
                  ...)
{
  GString *path = g_string_new (NULL);
  va_list args;

  va_start (args, first_segment);
  for (const char *segment = first_segment; segment != NULL; segment = va_arg (args, const char *))
    {
      g_autofree char *escaped = g_uri_escape_string (segment, NULL, FALSE);

      g_string_append_c (path, '/');
      g_string_append (path, escaped);
    }
  va_end (args);

  return g_string_free (path, FALSE);
}
