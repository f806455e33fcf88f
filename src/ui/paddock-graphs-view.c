/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-graphs-view.c: the Graphs tab: a container's CPU, memory, network and disk over time,
 * from Proxmox's rrddata for the hour, day or week (average or maximum of each interval),
 * fetched while the tab is in front and every minute as long as it stays there */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "paddock-graphs-view.h"

#define REFRESH_SECONDS 60

enum {
  GRAPH_CPU,
  GRAPH_MEMORY,
  GRAPH_NETWORK,
  GRAPH_DISK,
  N_GRAPHS
};

static const char *graph_names[N_GRAPHS] = { "cpu", "memory", "network", "disk" };

struct _PaddockGraphsView
{
  AdwBin           parent_instance;

  PaddockCluster  *cluster;
  PaddockGuest    *guest;
  GCancellable    *cancellable;
  gboolean         active;
  gboolean         fetching;
  guint            refresh_source;
  guint            n_fetches;
  char            *message;
  PaddockGraph    *graphs[N_GRAPHS];
  GtkWidget       *cards[N_GRAPHS];

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkToggleButton   *hour_button;
  GtkToggleButton   *day_button;
  GtkToggleButton   *week_button;
  GtkDropDown       *consolidation;
  GtkSpinner        *spinner;
  GtkLabel          *message_label;
  GtkBox            *graphs_box;
};

G_DEFINE_FINAL_TYPE (PaddockGraphsView, paddock_graphs_view, ADW_TYPE_BIN)

static const char *
timeframe (PaddockGraphsView *self)
{
  if (gtk_toggle_button_get_active (self->week_button))
    return "week";
  if (gtk_toggle_button_get_active (self->day_button))
    return "day";
  return "hour";
}

static void
show_message (PaddockGraphsView *self,
              const char        *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_label_set_text (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

/* One column of the samples (CPU is already a fraction of the container's cores). */
static GArray *
column (GArray *points,
        gsize   offset)
{
  GArray *values = g_array_sized_new (FALSE, FALSE, sizeof (double), points->len);

  for (guint i = 0; i < points->len; i++)
    {
      const PaddockRrdPoint *point = &g_array_index (points, PaddockRrdPoint, i);
      double value = G_STRUCT_MEMBER (double, point, offset);

      g_array_append_val (values, value);
    }

  return values;
}

static double
last_finite (GArray *points,
             gsize   offset)
{
  for (guint i = points->len; i > 0; i--)
    {
      double value = G_STRUCT_MEMBER (double, &g_array_index (points, PaddockRrdPoint, i - 1), offset);

      if (isfinite (value))
        return value;
    }

  return 0;
}

static void
show_points (PaddockGraphsView *self,
             GArray            *points)
{
  g_autoptr(GArray) times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), points->len);
  g_autoptr(GArray) cpu = column (points, G_STRUCT_OFFSET (PaddockRrdPoint, cpu));
  g_autoptr(GArray) mem = column (points, G_STRUCT_OFFSET (PaddockRrdPoint, mem));
  g_autoptr(GArray) netin = column (points, G_STRUCT_OFFSET (PaddockRrdPoint, netin));
  g_autoptr(GArray) netout = column (points, G_STRUCT_OFFSET (PaddockRrdPoint, netout));
  g_autoptr(GArray) diskread = column (points, G_STRUCT_OFFSET (PaddockRrdPoint, diskread));
  g_autoptr(GArray) diskwrite = column (points, G_STRUCT_OFFSET (PaddockRrdPoint, diskwrite));

  for (guint i = 0; i < points->len; i++)
    g_array_append_val (times, g_array_index (points, PaddockRrdPoint, i).time);

  paddock_graph_set_data (self->graphs[GRAPH_CPU], times, _("CPU"), cpu, NULL, NULL);
  paddock_graph_set_data (self->graphs[GRAPH_MEMORY], times, _("Used"), mem, NULL, NULL);
  /* The memory axis reaches the container's limit, so that "full" looks full. */
  paddock_graph_set_ceiling (self->graphs[GRAPH_MEMORY], last_finite (points, G_STRUCT_OFFSET (PaddockRrdPoint, maxmem)));
  paddock_graph_set_data (self->graphs[GRAPH_NETWORK], times, _("In"), netin, _("Out"), netout);
  paddock_graph_set_data (self->graphs[GRAPH_DISK], times, _("Read"), diskread, _("Written"), diskwrite);
}

static void
schedule_refresh (PaddockGraphsView *self);

static void
on_rrd (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PaddockGraphsView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) points = paddock_pve_client_get_rrd_finish (PADDOCK_PVE_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->fetching = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);

  if (points == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not fetch the graphs: %s"), error->message);

      show_message (self, text);
      return;
    }

  show_message (self, NULL);
  show_points (self, points);
}

static void
fetch (PaddockGraphsView *self)
{
  const char *cf = gtk_drop_down_get_selected (self->consolidation) == 1 ? "MAX" : "AVERAGE";

  if (self->guest == NULL || !self->active)
    return;

  /* A newer question replaces the one in flight (another timeframe was chosen). */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->fetching = TRUE;
  self->n_fetches++;
  gtk_spinner_set_spinning (self->spinner, TRUE);
  paddock_pve_client_get_rrd_async (paddock_cluster_get_client (self->cluster), paddock_guest_get_node (self->guest),
                                    paddock_guest_get_vmid (self->guest), timeframe (self), cf, self->cancellable,
                                    on_rrd, g_object_ref (self));
}

static gboolean
on_refresh (gpointer user_data)
{
  PaddockGraphsView *self = user_data;

  fetch (self);
  return G_SOURCE_CONTINUE;
}

static void
schedule_refresh (PaddockGraphsView *self)
{
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->active && self->guest != NULL)
    self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
}

static void
on_choice_changed (PaddockGraphsView *self)
{
  if (gtk_toggle_button_get_active (self->hour_button) || gtk_toggle_button_get_active (self->day_button)
      || gtk_toggle_button_get_active (self->week_button))
    fetch (self);
}

static GtkWidget *
make_card (PaddockGraph *graph)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_bottom (GTK_WIDGET (graph), 8);
  gtk_widget_set_margin_top (GTK_WIDGET (graph), 8);
  gtk_widget_set_margin_start (GTK_WIDGET (graph), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (graph), 12);
  gtk_box_append (GTK_BOX (card), GTK_WIDGET (graph));

  return card;
}

static void
paddock_graphs_view_dispose (GObject *object)
{
  PaddockGraphsView *self = PADDOCK_GRAPHS_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_object (&self->guest);
  g_clear_object (&self->cluster);

  G_OBJECT_CLASS (paddock_graphs_view_parent_class)->dispose (object);
}

static void
paddock_graphs_view_finalize (GObject *object)
{
  PaddockGraphsView *self = PADDOCK_GRAPHS_VIEW (object);

  g_free (self->message);

  G_OBJECT_CLASS (paddock_graphs_view_parent_class)->finalize (object);
}

static void
paddock_graphs_view_class_init (PaddockGraphsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = paddock_graphs_view_dispose;
  object_class->finalize = paddock_graphs_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/app/paddock/Paddock/paddock-graphs-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, scroller);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, hour_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, day_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, week_button);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, consolidation);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, spinner);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, message_label);
  gtk_widget_class_bind_template_child (widget_class, PaddockGraphsView, graphs_box);
}

static void
paddock_graphs_view_init (PaddockGraphsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->graphs[GRAPH_CPU] = PADDOCK_GRAPH (paddock_graph_new (_("CPU"), PADDOCK_GRAPH_UNIT_PERCENT));
  self->graphs[GRAPH_MEMORY] = PADDOCK_GRAPH (paddock_graph_new (_("Memory"), PADDOCK_GRAPH_UNIT_BYTES));
  self->graphs[GRAPH_NETWORK] = PADDOCK_GRAPH (paddock_graph_new (_("Network"), PADDOCK_GRAPH_UNIT_BYTES_PER_SECOND));
  self->graphs[GRAPH_DISK] = PADDOCK_GRAPH (paddock_graph_new (_("Disk I/O"), PADDOCK_GRAPH_UNIT_BYTES_PER_SECOND));
  for (guint i = 0; i < N_GRAPHS; i++)
    {
      self->cards[i] = make_card (self->graphs[i]);
      gtk_box_append (self->graphs_box, self->cards[i]);
    }

  g_signal_connect_swapped (self->hour_button, "toggled", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->day_button, "toggled", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->week_button, "toggled", G_CALLBACK (on_choice_changed), self);
  g_signal_connect_swapped (self->consolidation, "notify::selected", G_CALLBACK (fetch), self);
}

GtkWidget *
paddock_graphs_view_new (void)
{
  return g_object_new (PADDOCK_TYPE_GRAPHS_VIEW, NULL);
}

void
paddock_graphs_view_set_guest (PaddockGraphsView *self,
                               PaddockCluster    *cluster,
                               PaddockGuest      *guest)
{
  g_autoptr(GArray) none = g_array_new (FALSE, FALSE, sizeof (PaddockRrdPoint));

  g_return_if_fail (PADDOCK_IS_GRAPHS_VIEW (self));
  g_return_if_fail (PADDOCK_IS_CLUSTER (cluster));
  g_return_if_fail (PADDOCK_IS_GUEST (guest));

  if (self->guest == guest)
    return;

  g_cancellable_cancel (self->cancellable);
  g_set_object (&self->cluster, cluster);
  g_set_object (&self->guest, guest);
  self->fetching = FALSE;
  gtk_spinner_set_spinning (self->spinner, FALSE);
  show_message (self, NULL);
  show_points (self, none);
  if (self->active)
    {
      fetch (self);
      schedule_refresh (self);
    }
}

void
paddock_graphs_view_set_active (PaddockGraphsView *self,
                                gboolean           active)
{
  g_return_if_fail (PADDOCK_IS_GRAPHS_VIEW (self));

  if (self->active == active)
    return;

  self->active = active;
  if (active)
    fetch (self);
  else
    {
      g_cancellable_cancel (self->cancellable);
      self->fetching = FALSE;
      gtk_spinner_set_spinning (self->spinner, FALSE);
    }
  schedule_refresh (self);
}

void
paddock_graphs_view_set_timeframe (PaddockGraphsView *self,
                                   const char        *name)
{
  g_return_if_fail (PADDOCK_IS_GRAPHS_VIEW (self));

  gtk_toggle_button_set_active (g_str_equal (name, "week") ? self->week_button
                                : g_str_equal (name, "day") ? self->day_button : self->hour_button, TRUE);
}

void
paddock_graphs_view_reveal (PaddockGraphsView *self,
                            const char        *graph)
{
  g_return_if_fail (PADDOCK_IS_GRAPHS_VIEW (self));

  for (guint i = 0; i < N_GRAPHS; i++)
    if (g_strcmp0 (graph, graph_names[i]) == 0)
      {
        graphene_point_t point;

        /* Once laid out: where the card is in the scrolled box. */
        if (gtk_widget_compute_point (self->cards[i], GTK_WIDGET (self->graphs_box), &GRAPHENE_POINT_INIT (0, 0), &point))
          gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), point.y);
        gtk_widget_grab_focus (GTK_WIDGET (self->graphs[i]));
      }
}

PaddockGraph *
paddock_graphs_view_get_graph (PaddockGraphsView *self,
                               const char        *graph)
{
  g_return_val_if_fail (PADDOCK_IS_GRAPHS_VIEW (self), NULL);

  for (guint i = 0; i < N_GRAPHS; i++)
    if (g_strcmp0 (graph, graph_names[i]) == 0)
      return self->graphs[i];

  return NULL;
}

guint
paddock_graphs_view_get_n_fetches (PaddockGraphsView *self)
{
  g_return_val_if_fail (PADDOCK_IS_GRAPHS_VIEW (self), 0);

  return self->n_fetches;
}

gboolean
paddock_graphs_view_get_busy (PaddockGraphsView *self)
{
  g_return_val_if_fail (PADDOCK_IS_GRAPHS_VIEW (self), FALSE);

  return self->fetching;
}

const char *
paddock_graphs_view_get_message (PaddockGraphsView *self)
{
  g_return_val_if_fail (PADDOCK_IS_GRAPHS_VIEW (self), NULL);

  return self->message;
}
