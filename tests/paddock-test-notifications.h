/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-test-notifications.h: a notification server on the test session's bus that records what
 * the application sends (GNotification goes to org.freedesktop.Notifications when there is no
 * portal) and can click a notification as a desktop would */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  GDBusConnection *bus;            /* kept: the name goes with the last reference */
  GPtrArray       *received;       /* char *: "SUMMARY\nBODY" of each Notify call, id = index + 1 */
  GPtrArray       *default_action; /* whether each one has a default action ("default" key) */
} PaddockTestNotifications;

static const char paddock_test_notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/><arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

static inline void
paddock_test_notifications_call (GDBusConnection       *connection,
                                 const char            *sender,
                                 const char            *path,
                                 const char            *interface,
                                 const char            *method,
                                 GVariant              *parameters,
                                 GDBusMethodInvocation *invocation,
                                 gpointer               user_data)
{
  PaddockTestNotifications *self = user_data;

  if (g_str_equal (method, "Notify"))
    {
      const char *summary, *body;
      g_autofree const char **actions = NULL;
      gboolean has_default = FALSE;

      g_variant_get_child (parameters, 3, "&s", &summary);
      g_variant_get_child (parameters, 4, "&s", &body);
      g_variant_get_child (parameters, 5, "^a&s", &actions);
      for (guint i = 0; actions[i] != NULL; i += 2)
        has_default |= g_str_equal (actions[i], "default");
      g_ptr_array_add (self->received, g_strdup_printf ("%s\n%s", summary, body));
      g_ptr_array_add (self->default_action, GINT_TO_POINTER (has_default));
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", self->received->len));
    }
  else if (g_str_equal (method, "GetCapabilities"))
    {
      const char *caps[] = { "body", "actions", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_str_equal (method, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(ssss)", "test", "paddock", "1", "1.2"));
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

/* Owns org.freedesktop.Notifications on the session bus; fails the test when it cannot. */
static inline void
paddock_test_notifications_own (PaddockTestNotifications *self)
{
  static const GDBusInterfaceVTable vtable = { paddock_test_notifications_call, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (paddock_test_notifications_xml, NULL);
  g_autoptr(GVariant) reply = NULL;
  guint32 owned = 0;

  self->bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  self->received = g_ptr_array_new_with_free_func (g_free);
  self->default_action = g_ptr_array_new ();
  g_assert_nonnull (self->bus);
  g_assert_cmpuint (g_dbus_connection_register_object (self->bus, "/org/freedesktop/Notifications",
                                                       info->interfaces[0], &vtable, self, NULL, NULL), >, 0);
  reply = g_dbus_connection_call_sync (self->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.Notifications", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  g_assert_nonnull (reply);
  g_variant_get (reply, "(u)", &owned);
  g_assert_cmpuint (owned, ==, 1);  /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */
}

/* Waits (at most @seconds) for more than @before notifications; returns the newest or NULL. */
static inline const char *
paddock_test_notifications_wait (PaddockTestNotifications *self,
                                 guint                     before,
                                 guint                     seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (self->received->len <= before && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);

  return self->received->len > before ? g_ptr_array_index (self->received, self->received->len - 1) : NULL;
}

/* Clicks notification @index (0-based) as a desktop would: its default action. */
static inline void
paddock_test_notifications_click (PaddockTestNotifications *self,
                                  guint                     index)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (index, <, self->received->len);
  g_assert_true (GPOINTER_TO_INT (g_ptr_array_index (self->default_action, index)));
  g_dbus_connection_emit_signal (self->bus, NULL, "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
                                 "ActionInvoked", g_variant_new ("(us)", index + 1, "default"), &error);
  g_assert_no_error (error);
}

static inline void
paddock_test_notifications_clear (PaddockTestNotifications *self)
{
  g_clear_pointer (&self->received, g_ptr_array_unref);
  g_clear_pointer (&self->default_action, g_ptr_array_unref);
  g_clear_object (&self->bus);
}

G_END_DECLS
