/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-window-columns.c: the list's columns: each cell, the columns that fit the width, the
 * rows of the first screen */

#include "config.h"

#include <glib/gi18n.h>

#include "paddock-format.h"
#include "paddock-usage-bar.h"
#include "paddock-value-text.h"
#include "paddock-window-private.h"

/* Cell formatting (closures of the column view's cell templates) */

/* A container a job is making says so, with the job's progress. */
static char *
format_status (gpointer    item,
               const char *status,
               int         provisioning)
{
  if (provisioning >= 0)
    /* Translators: the status of a container a provisioning job is making, "creating 35 %" */
    return g_strdup_printf (_("creating %d %%"), provisioning);

  return g_strdup (paddock_format_status (status));
}

static GStrv
status_css_classes (gpointer    item,
                    const char *status,
                    int         provisioning)
{
  GStrv classes = g_new0 (char *, 3);

  classes[0] = g_strdup ("status-badge");
  classes[1] = g_strdup (provisioning >= 0 ? "warning" : paddock_status_style_class (status));

  return classes;
}

static char *
format_uint (gpointer item,
             guint    value)
{
  return g_strdup_printf ("%u", value);
}

/* A row of an unreachable connection keeps its name and state, not stale figures. */
static char *
format_cpu (gpointer          item,
            double            cpu,
            PaddockGuestState state,
            gboolean          offline)
{
  if (state != PADDOCK_GUEST_STATE_RUNNING || offline)
    return g_strdup ("—");

  /* Proxmox reports a fraction of the container's CPUs. */
  return g_strdup_printf ("%.1f %%", cpu * 100.0);
}

static double
fraction (gpointer item,
          gint64   used,
          gint64   total,
          gboolean offline)
{
  if (total <= 0 || used <= 0 || offline)
    return 0.0;

  return CLAMP ((double) used / (double) total, 0.0, 1.0);
}

static char *
format_memory (gpointer item,
               gint64   used,
               gint64   total,
               gboolean offline)
{
  /* maxmem 0: a container of an offline node, whose figures Proxmox does not know. */
  if (total <= 0 || offline)
    return g_strdup ("—");

  /* A stopped container uses nothing: paddock_format_usage shows only what it may use. */
  return paddock_format_usage (used, total);
}

static char *
format_uptime (gpointer item,
               gint64   seconds)
{
  return paddock_format_duration (seconds);
}

static char *
format_lock_ha (gpointer    item,
                const char *lock,
                const char *hastate)
{
  if (lock != NULL && hastate != NULL)
    return g_strdup_printf (_("locked (%s) · HA %s"), lock, hastate);
  if (lock != NULL)
    return g_strdup_printf (_("locked (%s)"), lock);
  if (hastate != NULL)
    return g_strdup_printf (_("HA %s"), hastate);
  return g_strdup ("");
}

/* Cells, built in code: a GtkBuilderListItemFactory parses its XML for every cell it makes,
 * which cost 180 ms of the start-up (bench-ui-list). Each cell binds the guest's properties
 * through expressions, so a refresh updates only what changed. */

/* The guest's @property, through the list item's "item". */
static GtkExpression *
guest_property (const char *property)
{
  return gtk_property_expression_new (PADDOCK_TYPE_GUEST,
                                      gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL,
                                                                   "item"),
                                      property);
}

/* Binds @widget's @widget_property to @format applied to the guest's properties (NULL-ended). */
static void
bind_cell (GtkListItem *item,
           GtkWidget   *widget,
           const char  *widget_property,
           GType        value_type,
           GCallback    format,
           ...)
{
  GtkExpression *params[3];
  GtkExpression *expression;
  const char *property;
  guint n = 0;
  va_list args;

  va_start (args, format);
  while ((property = va_arg (args, const char *)) != NULL && n < G_N_ELEMENTS (params))
    params[n++] = guest_property (property);
  va_end (args);

  expression = format != NULL ? gtk_cclosure_expression_new (value_type, NULL, n, params, format,
                                                             NULL, NULL)
                              : params[0];
  gtk_expression_bind (expression, widget, widget_property, item);
}

static GtkWidget *
new_cell_label (float xalign,
                gboolean numeric)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  return label;
}

/* The name cell: the name, and a spinner while an action runs (made the first time one does:
 * most rows never need it). */
/* The figures a refresh changes (CPU, memory, uptime): drawn again, not laid out again. */
static GtkWidget *
new_value_text (float       xalign,
                const char *css_class)
{
  GtkWidget *text = paddock_value_text_new (xalign);

  gtk_widget_add_css_class (text, css_class);
  gtk_widget_set_valign (text, GTK_ALIGN_CENTER);
  return text;
}

static void
setup_name_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = new_cell_label (0, FALSE);

  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  bind_cell (item, label, "label", G_TYPE_STRING, NULL, "display-name", NULL);
  gtk_list_item_set_child (item, box);
}

static void
show_busy (GtkWidget    *name_box,
           PaddockGuest *guest)
{
  GtkWidget *spinner = gtk_widget_get_last_child (name_box);
  gboolean busy = guest != NULL && paddock_guest_get_busy (guest);

  if (!GTK_IS_SPINNER (spinner))
    {
      if (!busy)
        return;
      spinner = gtk_spinner_new ();
      /* Hidden while its tooltip is set: on a shown widget GTK asks the X server where the
       * pointer is, a round trip per row. */
      gtk_widget_set_visible (spinner, FALSE);
      gtk_widget_set_tooltip_text (spinner, _("An action is running on this container"));
      gtk_box_append (GTK_BOX (name_box), spinner);
    }
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), busy);
  gtk_widget_set_visible (spinner, busy);
}

static void
setup_status_cell (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_halign (label, GTK_ALIGN_START);
  bind_cell (item, label, "label", G_TYPE_STRING, G_CALLBACK (format_status), "status",
             "provisioning", NULL);
  bind_cell (item, label, "css-classes", G_TYPE_STRV, G_CALLBACK (status_css_classes), "status",
             "provisioning", NULL);
  gtk_list_item_set_child (item, label);
}

static void
setup_vmid_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = new_cell_label (1, TRUE);

  bind_cell (item, label, "label", G_TYPE_STRING, G_CALLBACK (format_uint), "vmid", NULL);
  gtk_list_item_set_child (item, label);
}

static void
setup_node_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = new_cell_label (0, FALSE);

  bind_cell (item, label, "label", G_TYPE_STRING, NULL, "node", NULL);
  gtk_list_item_set_child (item, label);
}

/* Tags as chips: a label each, rebuilt when the guest's tags change (rarely). */
static void
fill_tag_chips (GtkWidget    *box,
                PaddockGuest *guest)
{
  g_auto(GStrv) tags = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);

  if (guest == NULL || paddock_guest_get_tags (guest) == NULL)
    return;

  tags = paddock_guest_dup_tag_list (guest);
  for (guint i = 0; tags[i] != NULL; i++)
    if (*tags[i] != '\0')
      {
        GtkWidget *chip = gtk_label_new (tags[i]);

        gtk_widget_add_css_class (chip, "paddock-tag");
        gtk_box_append (GTK_BOX (box), chip);
      }
}

static void
on_guest_tags_changed (PaddockGuest *guest,
                       GParamSpec   *pspec,
                       GtkWidget    *box)
{
  fill_tag_chips (box, guest);
}

/* The row a cell's widget is in: its cell's parent (GTK 4.8 gives no other way to it). */
static GtkWidget *
row_of_cell_child (GtkWidget *cell_child)
{
  GtkWidget *cell = gtk_widget_get_parent (cell_child);

  return cell != NULL ? gtk_widget_get_parent (cell) : NULL;
}

/* Screen readers announce a row by this: "nextcloud, running, CT 101, pve1" (GTK 4.8 gives rows
 * no accessible name of their own). */
static void
name_row (GtkWidget    *cell_child,
          PaddockGuest *guest)
{
  GtkWidget *row = row_of_cell_child (cell_child);
  g_autofree char *label = NULL;

  if (row == NULL || guest == NULL)
    return;

  /* Translators: a row of the list read by a screen reader: name, status, VMID, node */
  label = g_strdup_printf (_("%s, %s, CT %u, %s"), paddock_guest_get_display_name (guest),
                           paddock_guest_get_template (guest) ? _("template")
                           : paddock_format_status (paddock_guest_get_status (guest)),
                           paddock_guest_get_vmid (guest), paddock_guest_get_node (guest));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Rows of an unreachable connection are dimmed: one style class on the row, rather than a
 * binding on each of its cells. */
static void
dim_row (GtkWidget    *cell_child,
         PaddockGuest *guest)
{
  GtkWidget *row = row_of_cell_child (cell_child);

  if (row == NULL)
    return;

  if (guest != NULL && paddock_guest_get_offline (guest))
    gtk_widget_add_css_class (row, "paddock-offline");
  else
    gtk_widget_remove_css_class (row, "paddock-offline");
}

/* What the row as a whole shows follows the guest: one handler per row, for every property. */
static void
on_row_guest_notify (PaddockGuest *guest,
                     GParamSpec   *pspec,
                     GtkWidget    *name_box)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "state") || g_str_equal (name,
                                                  "display-name") || g_str_equal (name, "template"))
    name_row (name_box, guest);
  else if (g_str_equal (name, "busy"))
    show_busy (name_box, guest);
  else if (g_str_equal (name, "offline"))
    dim_row (name_box, guest);
}

static void
bind_name_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *child = gtk_list_item_get_child (item);
  PaddockGuest *guest = gtk_list_item_get_item (item);

  name_row (child, guest);
  show_busy (child, guest);
  dim_row (child, guest);
  g_signal_connect_object (guest, "notify", G_CALLBACK (on_row_guest_notify), child, 0);
}

static void
unbind_name_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  PaddockGuest *guest = gtk_list_item_get_item (item);

  if (guest != NULL)
    g_signal_handlers_disconnect_by_func (guest, on_row_guest_notify,
                                          gtk_list_item_get_child (item));
}

static void
setup_tags_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_widget_set_overflow (box, GTK_OVERFLOW_HIDDEN);
  gtk_list_item_set_child (item, box);
}

static void
bind_tags_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  PaddockGuest *guest = gtk_list_item_get_item (item);

  fill_tag_chips (box, guest);
  g_signal_connect_object (guest, "notify::tags", G_CALLBACK (on_guest_tags_changed), box, 0);
}

static void
unbind_tags_cell (GtkSignalListItemFactory *factory,
                  GtkListItem              *item)
{
  PaddockGuest *guest = gtk_list_item_get_item (item);

  if (guest != NULL)
    g_signal_handlers_disconnect_by_func (guest, on_guest_tags_changed,
                                          gtk_list_item_get_child (item));
}

static void
setup_cpu_cell (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  GtkWidget *label = new_value_text (1, "numeric");

  bind_cell (item, label, "text", G_TYPE_STRING, G_CALLBACK (format_cpu), "cpu", "state",
             "offline", NULL);
  gtk_list_item_set_child (item, label);
}

static void
setup_memory_cell (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *bar = paddock_usage_bar_new (_("Memory used"));
  GtkWidget *label = new_value_text (0, "caption");

  gtk_widget_add_css_class (label, "numeric");
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), label);
  bind_cell (item, bar, "value", G_TYPE_DOUBLE, G_CALLBACK (fraction), "mem", "maxmem", "offline",
             NULL);
  bind_cell (item, label, "text", G_TYPE_STRING, G_CALLBACK (format_memory), "mem", "maxmem",
             "offline", NULL);
  gtk_list_item_set_child (item, box);
}

static void
setup_uptime_cell (GtkSignalListItemFactory *factory,
                   GtkListItem              *item)
{
  GtkWidget *label = new_value_text (1, "numeric");

  bind_cell (item, label, "text", G_TYPE_STRING, G_CALLBACK (format_uptime), "uptime", NULL);
  gtk_list_item_set_child (item, label);
}

static void
setup_lock_cell (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *label = new_cell_label (0, FALSE);

  gtk_widget_add_css_class (label, "dim-label");
  bind_cell (item, label, "label", G_TYPE_STRING, G_CALLBACK (format_lock_ha), "lock", "hastate",
             NULL);
  gtk_list_item_set_child (item, label);
}

/* Template: the Paddock template a container was made from, or that it is a Proxmox template. */
static void
setup_template_cell (GtkSignalListItemFactory *factory,
                     GtkListItem              *item)
{
  GtkWidget *label = new_cell_label (0, FALSE);

  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_item_set_child (item, label);
}

static void
show_origin (PaddockWindow *self,
             GtkListItem   *item)
{
  PaddockGuest *guest = gtk_list_item_get_item (item);
  g_autofree char *key = NULL;
  const char *origin;

  if (guest == NULL)
    return;

  key = paddock_guest_dup_key (guest);
  origin = self->origins ? g_hash_table_lookup (self->origins, key) : NULL;
  if (origin == NULL && paddock_guest_get_template (guest))
    origin = _("Proxmox template");
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), origin ? origin : "");
}

static void
bind_template_cell (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    PaddockWindow            *self)
{
  if (self->template_cells == NULL)
    return;
  g_hash_table_add (self->template_cells, item);
  show_origin (self, item);
}

static void
unbind_template_cell (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      PaddockWindow            *self)
{
  if (self->template_cells != NULL)
    g_hash_table_remove (self->template_cells, item);
}

/* The origins were read again: the cells on screen say what they know now. */
void
_paddock_window_show_origins (PaddockWindow *self)
{
  GHashTableIter iter;
  gpointer item;

  g_hash_table_iter_init (&iter, self->template_cells);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    show_origin (self, item);
}

static void
set_template_factory (PaddockWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_template_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_template_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_template_cell), self);
  gtk_column_view_column_set_factory (self->template_column, factory);
  g_object_unref (factory);
}

static void
set_cell_factory (GtkColumnViewColumn *column,
                  GCallback            setup)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", setup, NULL);
  gtk_column_view_column_set_factory (column, factory);
  g_object_unref (factory);
}

/* Connection column: names come from the workspace, which the cell templates cannot reach. */
static void
setup_connection_cell (GtkSignalListItemFactory *factory,
                       GtkListItem              *item,
                       PaddockWindow            *self)
{
  gtk_list_item_set_child (item, new_cell_label (0, FALSE));
}

static void
bind_connection_cell (GtkSignalListItemFactory *factory,
                      GtkListItem              *item,
                      PaddockWindow            *self)
{
  PaddockGuest *guest = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  gint64 connection_id = paddock_guest_get_connection_id (guest);
  PaddockCluster *cluster = self->workspace
                            ? paddock_workspace_find_cluster (self->workspace, connection_id)
                            : NULL;
  PaddockConnection *connection = cluster
                                  ? paddock_workspace_get_connection (self->workspace, cluster)
                                  : NULL;

  gtk_label_set_text (GTK_LABEL (label),
                      connection ? paddock_connection_get_name (connection) : "");
}

/* Each column's cells, built in code (see above). */
void
_paddock_window_set_up_columns (PaddockWindow *self)
{
  set_cell_factory (self->name_column, G_CALLBACK (setup_name_cell));
  g_signal_connect (gtk_column_view_column_get_factory (self->name_column), "bind",
                    G_CALLBACK (bind_name_cell), NULL);
  g_signal_connect (gtk_column_view_column_get_factory (self->name_column), "unbind",
                    G_CALLBACK (unbind_name_cell),
                    NULL);
  set_cell_factory (self->status_column, G_CALLBACK (setup_status_cell));
  set_cell_factory (self->vmid_column, G_CALLBACK (setup_vmid_cell));
  set_cell_factory (self->node_column, G_CALLBACK (setup_node_cell));
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (setup_tags_cell), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_tags_cell), NULL);
    g_signal_connect (factory, "unbind", G_CALLBACK (unbind_tags_cell), NULL);
    gtk_column_view_column_set_factory (self->tags_column, factory);
    g_object_unref (factory);
  }
  set_cell_factory (self->cpu_column, G_CALLBACK (setup_cpu_cell));
  set_cell_factory (self->memory_column, G_CALLBACK (setup_memory_cell));
  set_cell_factory (self->uptime_column, G_CALLBACK (setup_uptime_cell));
  set_cell_factory (self->lock_column, G_CALLBACK (setup_lock_cell));
  set_template_factory (self);
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (setup_connection_cell), self);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_connection_cell), self);
    gtk_column_view_column_set_factory (self->connection_column, factory);
    g_object_unref (factory);
  }
}

/* The columns that fit the list's width, by importance: name and status always, the rest while
 * there is room (a narrow window keeps CPU and memory before tags, node and the rest). */
void
_paddock_window_fit_columns (PaddockWindow *self)
{
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (self->column_view));
  GtkColumnViewColumn *by_importance[] = {
    self->name_column, self->status_column, self->cpu_column, self->memory_column,
    self->tags_column, self->vmid_column, self->node_column, self->connection_column,
    self->uptime_column, self->lock_column, self->template_column,
  };
  int available = gtk_widget_get_width (scrolled);
  int used = 0;

  if (available <= 0)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (by_importance); i++)
    {
      GtkColumnViewColumn *column = by_importance[i];
      int width = MAX (gtk_column_view_column_get_fixed_width (column), 40);
      gboolean wanted = column != self->connection_column || self->show_connection;
      gboolean visible = wanted && (i < 2 || used + width <= available);

      if (visible)
        used += width;
      if (gtk_column_view_column_get_visible (column) != visible)
        gtk_column_view_column_set_visible (column, visible);
    }
}

static gboolean
on_columns_timeout (gpointer user_data)
{
  PaddockWindow *self = user_data;

  self->columns_source = 0;
  _paddock_window_fit_columns (self);
  return G_SOURCE_REMOVE;
}

/* After the list's width changed, once it is laid out (not during its allocation). */
void
_paddock_window_schedule_fit_columns (PaddockWindow *self)
{
  if (self->columns_source == 0)
    self->columns_source = g_idle_add (on_columns_timeout, self);
}

/* Rows are at least this tall (libadwaita's are taller): the first screen's rows are its height
 * divided by it. */
#define SMALLEST_ROW_HEIGHT 30
/* Rows built per step after the first frame (a step stays within a frame's 16 ms). */
#define ROWS_PER_STEP       16

/* Before the list is filled: one screen's worth of rows for the first frame, not GTK's 200. */
void
_paddock_window_size_first_screen (PaddockWindow *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  int width;

  if (self->first_screen_done)
    return;

  /* Not laid out yet: the restored size, or a tall screen's when maximized. (GTK 4.8 needs
   * both out arguments.) */
  if (height <= 0)
    gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (height <= 0 || gtk_window_is_maximized (GTK_WINDOW (self)))
    height = MAX (height, 1440);

  gtk_slice_list_model_set_size (self->first_screen, height / SMALLEST_ROW_HEIGHT + 1);
}

static gboolean
build_more_rows (gpointer user_data)
{
  PaddockWindow *self = user_data;
  guint size = gtk_slice_list_model_get_size (self->first_screen);
  GListModel *all = gtk_slice_list_model_get_model (self->first_screen);

  /* GTK keeps at most 200 rows built: past them (or the end of the list) the slice goes. */
  if (size + ROWS_PER_STEP >= MIN (g_list_model_get_n_items (all), 200))
    {
      self->more_rows_source = 0;
      gtk_slice_list_model_set_size (self->first_screen, G_MAXUINT);
      return G_SOURCE_REMOVE;
    }

  gtk_slice_list_model_set_size (self->first_screen, size + ROWS_PER_STEP);
  return G_SOURCE_CONTINUE;
}

static void
on_first_screen_drawn (GdkFrameClock *clock,
                       PaddockWindow *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_screen_drawn, self);
  /* The rest of the rows (up to GTK's 200), a few at a time between frames, now that the user
   * sees the first screen. */
  if (self->more_rows_source == 0)
    self->more_rows_source = g_idle_add (build_more_rows, self);
}

/* The first frame gets one screen of rows (_paddock_window_size_first_screen); the rest follow
 * after it (SPEC.md §10, first frame). */
void
_paddock_window_show_all_rows_after_first_frame (PaddockWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->first_screen_done)
    return;
  self->first_screen_done = TRUE;

  if (clock == NULL)
    gtk_slice_list_model_set_size (self->first_screen, G_MAXUINT);
  else
    g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_screen_drawn), self, 0);
}
