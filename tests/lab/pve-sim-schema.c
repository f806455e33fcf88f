/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pve-sim-schema.c: validates requests against Proxmox's own API schema (pve-apidoc.json) */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pve-sim.h"

struct _SimSchema
{
  JsonParser *parser;
  /* "METHOD path-template" → the method's info object (owned by parser) */
  GHashTable *methods;
};

static void
index_node (SimSchema *schema,
            JsonObject *node)
{
  const char *path = json_object_get_string_member_with_default (node, "path", NULL);

  if (path != NULL && json_object_has_member (node, "info"))
    {
      JsonObject *info = json_object_get_object_member (node, "info");
      g_autoptr(GList) methods = json_object_get_members (info);

      for (GList *l = methods; l != NULL; l = l->next)
        g_hash_table_insert (schema->methods,
                             g_strdup_printf ("%s %s", (const char *) l->data, path),
                             json_object_get_object_member (info, l->data));
    }

  if (json_object_has_member (node, "children"))
    {
      JsonArray *children = json_object_get_array_member (node, "children");

      for (guint i = 0; i < json_array_get_length (children); i++)
        index_node (schema, json_array_get_object_element (children, i));
    }
}

SimSchema *
sim_schema_load (const char  *path,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  SimSchema *schema;
  JsonArray *roots;

  if (!json_parser_load_from_file (parser, path, error))
    return NULL;

  if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: not an API schema array", path);
      return NULL;
    }

  schema = g_new0 (SimSchema, 1);
  schema->parser = g_steal_pointer (&parser);
  schema->methods = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  roots = json_node_get_array (json_parser_get_root (schema->parser));
  for (guint i = 0; i < json_array_get_length (roots); i++)
    index_node (schema, json_array_get_object_element (roots, i));

  return schema;
}

guint
sim_schema_count (SimSchema *schema)
{
  return g_hash_table_size (schema->methods);
}

JsonObject *
sim_schema_lookup (SimSchema  *schema,
                   const char *method,
                   const char *path_template)
{
  g_autofree char *key = g_strdup_printf ("%s %s", method, path_template);

  return g_hash_table_lookup (schema->methods, key);
}

/* "net[n]" covers net0, net1, …; returns the schema property for a concrete name. */
static JsonObject *
find_property (JsonObject *properties,
               const char *name)
{
  g_autoptr(GList) members = NULL;

  if (json_object_has_member (properties, name))
    return json_object_get_object_member (properties, name);

  members = json_object_get_members (properties);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      gsize prefix;

      if (!g_str_has_suffix (key, "[n]"))
        continue;

      prefix = strlen (key) - 3;
      if (strncmp (name, key, prefix) == 0 && name[prefix] != '\0')
        {
          const char *digits = name + prefix;
          gboolean all_digits = TRUE;

          for (const char *c = digits; *c; c++)
            all_digits &= g_ascii_isdigit (*c);

          if (all_digits && strlen (digits) <= 3)
            return json_object_get_object_member (properties, key);
        }
    }

  return NULL;
}

static gboolean
is_integer (const char *value)
{
  const char *c = value;

  if (*c == '-' || *c == '+')
    c++;
  if (*c == '\0')
    return FALSE;
  for (; *c; c++)
    if (!g_ascii_isdigit (*c))
      return FALSE;

  return TRUE;
}

static gboolean
is_number (const char *value)
{
  char *end = NULL;

  if (*value == '\0')
    return FALSE;
  g_ascii_strtod (value, &end);

  return end != NULL && *end == '\0';
}

static gboolean
matches_pattern (const char *pattern,
                 const char *value)
{
  if (!g_utf8_validate (value, -1, NULL))
    return FALSE;

  g_autofree char *anchored = g_strdup_printf ("^(?:%s)$", pattern);
  g_autoptr(GRegex) regex = g_regex_new (anchored, 0, 0, NULL);

  /* A Perl pattern GRegex cannot compile is not held against the request. */
  return regex == NULL || g_regex_match (regex, value, 0, NULL);
}

static gboolean
valid_ipv4 (const char *value)
{
  GInetAddress *address = g_inet_address_new_from_string (value);
  gboolean ok = address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;

  g_clear_object (&address);
  return ok;
}

static gboolean
valid_ipv6 (const char *value)
{
  GInetAddress *address = g_inet_address_new_from_string (value);
  gboolean ok = address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

  g_clear_object (&address);
  return ok;
}

/* ADDRESS/PREFIX, as pve-ipv4-config and pve-ipv6-config accept besides their keywords. */
static gboolean
valid_cidr (const char *value,
            gboolean    v6)
{
  const char *slash = strchr (value, '/');
  g_autofree char *address = slash ? g_strndup (value, slash - value) : NULL;
  char *end = NULL;
  guint64 prefix;

  if (slash == NULL || slash[1] == '\0' || !g_ascii_isdigit (slash[1]))
    return FALSE;
  prefix = g_ascii_strtoull (slash + 1, &end, 10);
  if (*end != '\0' || prefix > (v6 ? 128 : 32))
    return FALSE;

  return v6 ? valid_ipv6 (address) : valid_ipv4 (address);
}

static char *check_value (JsonObject *property, const char *value);

/* Property strings such as net0 or features: comma-separated key=value with an optional default key. */
static char *
check_property_string (JsonObject *format,
                       const char *value)
{
  g_auto(GStrv) parts = g_strsplit (value, ",", -1);
  const char *default_key = NULL;
  g_autoptr(GList) members = json_object_get_members (format);

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *key = json_object_get_object_member (format, l->data);

      if (json_object_get_boolean_member_with_default (key, "default_key", FALSE))
        default_key = l->data;
    }

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i];
      const char *eq = strchr (part, '=');
      g_autofree char *key = NULL;
      const char *val;
      JsonObject *key_schema;
      g_autofree char *problem = NULL;

      if (*part == '\0')
        continue;

      if (eq == NULL)
        {
          if (default_key == NULL)
            return g_strdup_printf ("invalid format - value without key, but schema does not define a default key");
          key = g_strdup (default_key);
          val = part;
        }
      else
        {
          key = g_strndup (part, eq - part);
          val = eq + 1;
        }

      if (!json_object_has_member (format, key))
        return g_strdup_printf ("invalid format - %s: property is not defined in schema and the schema "
                                "does not allow additional properties", key);

      key_schema = json_object_get_object_member (format, key);
      if (json_object_has_member (key_schema, "alias"))
        continue;

      if (json_object_has_member (key_schema, "type") &&
          g_strcmp0 (json_object_get_string_member (key_schema, "type"), "boolean") == 0)
        {
          /* Inside property strings Proxmox's parse_boolean also takes words. */
          static const char *words[] = { "0", "1", "on", "off", "yes", "no", "true", "false", NULL };

          if (!g_strv_contains (words, val))
            return g_strdup_printf ("invalid format - %s: type check ('boolean') failed - got '%s'", key, val);
          continue;
        }

      if ((problem = check_value (key_schema, val)) != NULL)
        return g_strdup_printf ("invalid format - %s: %s", key, problem);
    }

  return NULL;
}

/* Returns NULL when @value satisfies @property, else Proxmox's message for the failure. */
static char *
check_value (JsonObject *property,
             const char *value)
{
  const char *type = json_object_get_string_member_with_default (property, "type", "string");

  if (!g_utf8_validate (value, -1, NULL))
    return g_strdup ("value is not valid UTF-8");

  if (g_str_equal (type, "boolean"))
    {
      if (!g_str_equal (value, "0") && !g_str_equal (value, "1"))
        return g_strdup_printf ("type check ('boolean') failed - got '%s'", value);
    }
  else if (g_str_equal (type, "integer") || g_str_equal (type, "number"))
    {
      double number;

      if (g_str_equal (type, "integer") ? !is_integer (value) : !is_number (value))
        return g_strdup_printf ("type check ('%s') failed - got '%s'", type, value);

      number = g_ascii_strtod (value, NULL);
      if (json_object_has_member (property, "minimum") &&
          number < json_object_get_double_member (property, "minimum"))
        return g_strdup_printf ("value must have a minimum value of %g",
                                json_object_get_double_member (property, "minimum"));
      if (json_object_has_member (property, "maximum") &&
          number > json_object_get_double_member (property, "maximum"))
        return g_strdup_printf ("value must have a maximum value of %g",
                                json_object_get_double_member (property, "maximum"));
    }
  else if (g_str_equal (type, "string"))
    {
      JsonNode *format = json_object_get_member (property, "format");

      if (json_object_has_member (property, "maxLength") &&
          g_utf8_strlen (value, -1) > json_object_get_int_member (property, "maxLength"))
        return g_strdup_printf ("value may only be %" G_GINT64_FORMAT " characters long",
                                json_object_get_int_member (property, "maxLength"));

      if (json_object_has_member (property, "minLength") &&
          g_utf8_strlen (value, -1) < json_object_get_int_member (property, "minLength"))
        return g_strdup_printf ("value must be at least %" G_GINT64_FORMAT " characters long",
                                json_object_get_int_member (property, "minLength"));

      if (json_object_has_member (property, "enum"))
        {
          JsonArray *values = json_object_get_array_member (property, "enum");
          g_autoptr(GString) list = g_string_new (NULL);
          gboolean found = FALSE;

          for (guint i = 0; i < json_array_get_length (values); i++)
            {
              const char *choice = json_array_get_string_element (values, i);

              found |= g_strcmp0 (choice, value) == 0;
              g_string_append_printf (list, "%s%s", i ? ", " : "", choice);
            }
          if (!found)
            return g_strdup_printf ("value '%s' does not have a value in the enumeration '%s'", value, list->str);
        }

      if (json_object_has_member (property, "pattern") &&
          !matches_pattern (json_object_get_string_member (property, "pattern"), value))
        return g_strdup ("value does not match the regex pattern");

      if (format != NULL && JSON_NODE_HOLDS_OBJECT (format))
        return check_property_string (json_node_get_object (format), value);

      if (format != NULL && JSON_NODE_HOLDS_VALUE (format))
        {
          const char *name = json_node_get_string (format);

          if (g_strcmp0 (name, "pve-node") == 0 &&
              !matches_pattern ("[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?", value))
            return g_strdup_printf ("invalid format - value does not look like a valid node name");
          if (g_strcmp0 (name, "ipv4") == 0 && !valid_ipv4 (value))
            return g_strdup_printf ("invalid format - value does not look like a valid IPv4 address");
          if (g_strcmp0 (name, "ipv6") == 0 && !valid_ipv6 (value))
            return g_strdup_printf ("invalid format - value does not look like a valid IPv6 address");
          if (g_strcmp0 (name, "pve-ipv4-config") == 0 && !g_str_equal (value, "dhcp") &&
              !g_str_equal (value, "manual") && !valid_cidr (value, FALSE))
            return g_strdup_printf ("invalid format - value does not look like a valid ipv4 network configuration");
          if (g_strcmp0 (name, "pve-ipv6-config") == 0 && !g_str_equal (value, "dhcp") &&
              !g_str_equal (value, "auto") && !g_str_equal (value, "manual") && !valid_cidr (value, TRUE))
            return g_strdup_printf ("invalid format - value does not look like a valid ipv6 network configuration");
          if (g_strcmp0 (name, "mac-addr") == 0 &&
              (!matches_pattern ("[a-fA-F0-9]{2}(:[a-fA-F0-9]{2}){5}", value) ||
               (g_ascii_xdigit_value (value[1]) & 1) != 0))
            return g_strdup_printf ("invalid format - value does not look like a valid unicast MAC address");
          if (g_strcmp0 (name, "dns-name") == 0 &&
              !matches_pattern ("([a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?\\.)*[a-zA-Z0-9]([a-zA-Z0-9\\-]*[a-zA-Z0-9])?", value))
            return g_strdup_printf ("invalid format - value does not look like a valid DNS name");
          if (g_strcmp0 (name, "pve-tag-list") == 0)
            {
              g_auto(GStrv) tags = g_regex_split_simple ("[,;\\s]+", value, 0, 0);

              for (guint i = 0; tags[i] != NULL; i++)
                if (*tags[i] && !matches_pattern ("(?i)[a-z0-9_][a-z0-9_\\-\\+\\.]*", tags[i]))
                  return g_strdup_printf ("invalid format - invalid tag '%s'", tags[i]);
            }
        }
    }

  return NULL;
}

/**
 * sim_schema_validate:
 * @params: every parameter of the request, path parameters included
 *
 * Returns: (transfer full) (nullable): parameter → message, or %NULL when the request conforms
 */
GHashTable *
sim_schema_validate (JsonObject *method_info,
                     GHashTable *params)
{
  g_autoptr(GHashTable) errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  JsonObject *parameters = json_object_get_object_member (method_info, "parameters");
  JsonObject *properties;
  gboolean additional;
  GHashTableIter iter;
  gpointer key, value;

  if (parameters == NULL || !json_object_has_member (parameters, "properties"))
    {
      if (g_hash_table_size (params) > 0)
        {
          g_hash_table_iter_init (&iter, params);
          while (g_hash_table_iter_next (&iter, &key, &value))
            g_hash_table_insert (errors, g_strdup (key),
                                 g_strdup ("property is not defined in schema and the schema does not allow additional properties"));
        }
      return g_hash_table_size (errors) ? g_steal_pointer (&errors) : NULL;
    }

  properties = json_object_get_object_member (parameters, "properties");
  additional = json_object_get_int_member_with_default (parameters, "additionalProperties", 0) != 0;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      JsonObject *property = find_property (properties, key);
      char *problem;

      if (property == NULL)
        {
          if (!additional)
            g_hash_table_insert (errors, g_strdup (key),
                                 g_strdup ("property is not defined in schema and the schema does not allow additional properties"));
          continue;
        }

      if ((problem = check_value (property, value)) != NULL)
        g_hash_table_insert (errors, g_strdup (key), problem);
    }

  {
    g_autoptr(GList) members = json_object_get_members (properties);

    for (GList *l = members; l != NULL; l = l->next)
      {
        JsonObject *property = json_object_get_object_member (properties, l->data);

        if (g_str_has_suffix (l->data, "[n]"))
          continue;
        if (json_object_get_int_member_with_default (property, "optional", 0) == 0 &&
            !g_hash_table_contains (params, l->data))
          g_hash_table_insert (errors, g_strdup (l->data), g_strdup ("property is missing and it is not optional"));
      }
  }

  return g_hash_table_size (errors) ? g_steal_pointer (&errors) : NULL;
}

/* The privileges a method's ["perm", path, [privs], ("any", 1)] check asks for, with the path filled in. */
gboolean
sim_schema_required_privileges (JsonObject  *method_info,
                                GHashTable  *path_params,
                                char       **acl_path,
                                GStrv       *privileges,
                                gboolean    *any)
{
  JsonObject *permissions = json_object_get_object_member (method_info, "permissions");
  JsonArray *check;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GString) path = NULL;
  JsonArray *privs;

  if (permissions == NULL || !json_object_has_member (permissions, "check"))
    return FALSE;

  check = json_object_get_array_member (permissions, "check");
  if (check == NULL || json_array_get_length (check) < 3 ||
      g_strcmp0 (json_array_get_string_element (check, 0), "perm") != 0)
    return FALSE;

  path = g_string_new (json_array_get_string_element (check, 1));
  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, path_params);
    while (g_hash_table_iter_next (&iter, &key, &value))
      {
        g_autofree char *placeholder = g_strdup_printf ("{%s}", (const char *) key);

        g_string_replace (path, placeholder, value, 0);
      }
  }

  privs = json_array_get_array_element (check, 2);
  for (guint i = 0; privs != NULL && i < json_array_get_length (privs); i++)
    g_strv_builder_add (builder, json_array_get_string_element (privs, i));

  *acl_path = g_string_free (g_steal_pointer (&path), FALSE);
  *privileges = g_strv_builder_end (builder);
  *any = json_array_get_length (check) >= 5 &&
         g_strcmp0 (json_array_get_string_element (check, 3), "any") == 0;

  return TRUE;
}

void
sim_schema_free (SimSchema *schema)
{
  g_clear_object (&schema->parser);
  g_clear_pointer (&schema->methods, g_hash_table_unref);
  g_free (schema);
}
