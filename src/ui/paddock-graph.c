/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-graph.c: a time series drawn natively (one or two lines, axes with units, hover)
 *
 * Gaps in the samples (NaN: a stopped container, a sample Proxmox did not keep) are gaps in the
 * line, never a drop to zero. The value axis has round steps; the hover shows the sample under
 * the pointer; a screen reader hears the latest values and their range.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "paddock-graph.h"

#define AXIS_WIDTH   72.0
#define AXIS_HEIGHT  22.0
#define TITLE_HEIGHT 24.0
#define PADDING       8.0
#define Y_STEPS       4

struct _PaddockGraph
{
  GtkWidget         parent_instance;

  char             *title;
  PaddockGraphUnit  unit;
  GArray           *times;       /* gint64 */
  GArray           *series[2];   /* double */
  char             *labels[2];
  double            ceiling;
  double            hover_x;     /* < 0: the pointer is elsewhere */
  char             *summary;
  guint             n_segments;
};

G_DEFINE_FINAL_TYPE (PaddockGraph, paddock_graph, GTK_TYPE_WIDGET)

/* Values as words */

static char *
format_value (PaddockGraphUnit unit,
              double           value)
{
  g_autofree char *size = NULL;

  switch (unit)
    {
    case PADDOCK_GRAPH_UNIT_PERCENT:
      /* Translators: a percentage, e.g. "12 %" */
      return value * 100 < 10 && value > 0 ? g_strdup_printf (_("%.1f %%"), value * 100)
                                           : g_strdup_printf (_("%.0f %%"), value * 100);

    case PADDOCK_GRAPH_UNIT_BYTES:
      return g_format_size_full ((guint64) MAX (value, 0), G_FORMAT_SIZE_IEC_UNITS);

    case PADDOCK_GRAPH_UNIT_BYTES_PER_SECOND:
    default:
      size = g_format_size ((guint64) MAX (value, 0));
      /* Translators: a rate, e.g. "1.2 kB/s" */
      return g_strdup_printf (_("%s/s"), size);
    }
}

static char *
format_time (gint64 time,
             gint64 span)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (time);

  if (local == NULL)
    return g_strdup ("");
  /* An hour or a day: the time of day; longer: the day. */
  return g_date_time_format (local, span <= 2 * 86400 ? "%H:%M" : "%a %d");
}

/* The range of the finite values of @series; FALSE when it has none. */
static gboolean
series_range (GArray *series,
              double *low,
              double *high,
              double *latest)
{
  gboolean any = FALSE;

  for (guint i = 0; series != NULL && i < series->len; i++)
    {
      double value = g_array_index (series, double, i);

      if (!isfinite (value))
        continue;
      *low = any ? MIN (*low, value) : value;
      *high = any ? MAX (*high, value) : value;
      *latest = value;
      any = TRUE;
    }

  return any;
}

static void
update_summary (PaddockGraph *self)
{
  GString *summary = g_string_new (NULL);

  for (guint s = 0; s < 2; s++)
    {
      double low = 0, high = 0, latest = 0;
      g_autofree char *low_text = NULL, *high_text = NULL, *latest_text = NULL;

      if (self->series[s] == NULL)
        continue;
      if (summary->len > 0)
        g_string_append (summary, "; ");
      if (self->labels[s] != NULL)
        g_string_append_printf (summary, "%s: ", self->labels[s]);
      if (!series_range (self->series[s], &low, &high, &latest))
        {
          g_string_append (summary, _("no data for this time"));
          continue;
        }
      latest_text = format_value (self->unit, latest);
      low_text = format_value (self->unit, low);
      high_text = format_value (self->unit, high);
      /* Translators: latest value, then the lowest and highest of the time shown */
      g_string_append_printf (summary, _("latest %s, from %s to %s"), latest_text, low_text, high_text);
    }

  g_free (self->summary);
  self->summary = g_string_free (summary, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary, -1);
}

/* The value axis: a round step so that Y_STEPS of them reach @high (a power of two for sizes in
 * GiB and MiB, 1, 2, 2.5 or 5 times a power of ten otherwise). */
static double
nice_top (PaddockGraphUnit unit,
          double           high)
{
  double raw, magnitude, normal;

  if (!(high > 0))
    return unit == PADDOCK_GRAPH_UNIT_PERCENT ? 0.01 : 1024;
  raw = high / Y_STEPS;
  if (unit == PADDOCK_GRAPH_UNIT_BYTES)
    return pow (2, ceil (log2 (raw))) * Y_STEPS;
  magnitude = pow (10, floor (log10 (raw)));
  normal = raw / magnitude;
  normal = normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 2.5 ? 2.5 : normal <= 5 ? 5 : 10;
  return normal * magnitude * Y_STEPS;
}

/* Drawing */

typedef struct
{
  double left, top, width, height;
  gint64 first, last;
  double y_top;
} Plot;

static double
x_of (const Plot *plot,
      gint64      time)
{
  return plot->left + (plot->last > plot->first ? (double) (time - plot->first) / (plot->last - plot->first) : 0)
                      * plot->width;
}

static double
y_of (const Plot *plot,
      double      value)
{
  return plot->top + plot->height - CLAMP (value / plot->y_top, 0, 1) * plot->height;
}

static void
show_text (PaddockGraph *self,
           cairo_t      *cr,
           const char   *text,
           double        x,
           double        y,
           double        align_x)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - align_x * width, y - height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_series (PaddockGraph   *self,
             cairo_t        *cr,
             const Plot     *plot,
             GArray         *series,
             const GdkRGBA  *color,
             gboolean        fill)
{
  gboolean drawing = FALSE;
  double first_x = 0, last_x = 0;

  for (guint i = 0; i <= self->times->len; i++)
    {
      double value = i < self->times->len && i < series->len ? g_array_index (series, double, i) : NAN;

      if (isfinite (value))
        {
          double x = x_of (plot, g_array_index (self->times, gint64, i));
          double y = y_of (plot, value);

          if (!drawing)
            {
              cairo_move_to (cr, x, y);
              first_x = x;
              drawing = TRUE;
            }
          else
            cairo_line_to (cr, x, y);
          last_x = x;
          continue;
        }

      if (!drawing)
        continue;

      /* A gap (or the end): this segment is done. */
      self->n_segments++;
      if (fill)
        {
          cairo_path_t *line = cairo_copy_path (cr);

          cairo_line_to (cr, last_x, plot->top + plot->height);
          cairo_line_to (cr, first_x, plot->top + plot->height);
          cairo_close_path (cr);
          cairo_set_source_rgba (cr, color->red, color->green, color->blue, 0.18);
          cairo_fill (cr);
          cairo_append_path (cr, line);
          cairo_path_destroy (line);
        }
      gdk_cairo_set_source_rgba (cr, color);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      drawing = FALSE;
    }
}

/* The sample nearest to @x, or -1. */
static int
sample_at (PaddockGraph *self,
           const Plot   *plot,
           double        x)
{
  int best = -1;
  double distance = G_MAXDOUBLE;

  for (guint i = 0; self->times != NULL && i < self->times->len; i++)
    {
      double d = fabs (x_of (plot, g_array_index (self->times, gint64, i)) - x);

      if (d < distance)
        distance = d, best = i;
    }

  return best;
}

static void
plot_for (PaddockGraph *self,
          Plot         *plot)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  double high = 0, low = 0, latest = 0;

  plot->left = AXIS_WIDTH;
  plot->top = TITLE_HEIGHT + PADDING;
  plot->width = MAX (width - AXIS_WIDTH - PADDING, 1);
  plot->height = MAX (height - TITLE_HEIGHT - PADDING - AXIS_HEIGHT, 1);
  plot->first = self->times && self->times->len ? g_array_index (self->times, gint64, 0) : 0;
  plot->last = self->times && self->times->len ? g_array_index (self->times, gint64, self->times->len - 1) : 0;

  plot->y_top = self->ceiling;
  for (guint s = 0; s < 2; s++)
    if (series_range (self->series[s], &low, &high, &latest))
      plot->y_top = MAX (plot->y_top, high);
  plot->y_top = nice_top (self->unit, plot->y_top);
}

static char *
hover_text (PaddockGraph *self,
            const Plot   *plot,
            int           index)
{
  g_autofree char *when = NULL;
  GString *text;

  when = format_time (g_array_index (self->times, gint64, index), 0);
  text = g_string_new (when);
  for (guint s = 0; s < 2; s++)
    {
      double value;
      g_autofree char *shown = NULL;

      if (self->series[s] == NULL || (guint) index >= self->series[s]->len)
        continue;
      value = g_array_index (self->series[s], double, index);
      shown = isfinite (value) ? format_value (self->unit, value) : g_strdup ("—");
      g_string_append_printf (text, " · %s%s%s", self->labels[s] && self->series[1] ? self->labels[s] : "",
                              self->labels[s] && self->series[1] ? " " : "", shown);
    }

  return g_string_free (text, FALSE);
}

static void
draw (PaddockGraph *self,
      cairo_t      *cr,
      int           width,
      int           height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean dark = FALSE;
  GdkRGBA foreground, colors[2];
  gboolean any = FALSE;
  Plot plot;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &foreground);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* Light text means a dark style: lighter lines read better there. */
  dark = foreground.red + foreground.green + foreground.blue > 1.5;
  gdk_rgba_parse (&colors[0], dark ? "#62a0ea" : "#1c71d8");
  gdk_rgba_parse (&colors[1], dark ? "#ffa348" : "#c64600");

  plot_for (self, &plot);
  self->n_segments = 0;
  for (guint s = 0; s < 2; s++)
    {
      double low, high, latest;

      any |= self->series[s] != NULL && series_range (self->series[s], &low, &high, &latest);
    }

  /* Title, and the series' names in their colours */
  gdk_cairo_set_source_rgba (cr, &foreground);
  show_text (self, cr, self->title, 0, TITLE_HEIGHT / 2, 0);
  if (self->series[1] != NULL)
    {
      double x = width - PADDING;

      for (int s = 1; s >= 0; s--)
        {
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, self->labels[s]);
          int label_width, label_height;

          pango_layout_get_pixel_size (layout, &label_width, &label_height);
          x -= label_width;
          gdk_cairo_set_source_rgba (cr, &colors[s]);
          cairo_move_to (cr, x, TITLE_HEIGHT / 2 - label_height / 2.0);
          pango_cairo_show_layout (cr, layout);
          x -= 16;
        }
    }

  /* Value axis: round steps, faint lines (no numbers without data) */
  for (int step = 0; step <= Y_STEPS; step++)
    {
      double value = plot.y_top * step / Y_STEPS;
      double y = y_of (&plot, value);
      g_autofree char *label = format_value (self->unit, value);

      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.12);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, plot.left, round (y) + 0.5);
      cairo_line_to (cr, plot.left + plot.width, round (y) + 0.5);
      cairo_stroke (cr);
      if (!any)
        continue;
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.7);
      show_text (self, cr, label, plot.left - 6, y, 1);
    }

  /* Time axis */
  if (plot.last > plot.first)
    for (int tick = 0; tick <= 4; tick++)
      {
        gint64 time = plot.first + (plot.last - plot.first) * tick / 4;
        g_autofree char *label = format_time (time, plot.last - plot.first);

        cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.7);
        show_text (self, cr, label, x_of (&plot, time), plot.top + plot.height + AXIS_HEIGHT / 2 + 2,
                   tick == 0 ? 0 : tick == 4 ? 1 : 0.5);
      }

  for (guint s = 0; s < 2; s++)
    {
      double low, high, latest;

      if (self->series[s] != NULL && series_range (self->series[s], &low, &high, &latest))
        draw_series (self, cr, &plot, self->series[s], &colors[s], s == 0);
    }

  if (!any)
    {
      cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.55);
      show_text (self, cr, _("No data for this time"), plot.left + plot.width / 2, plot.top + plot.height / 2, 0.5);
      return;
    }

  /* The sample under the pointer */
  if (self->hover_x >= plot.left && self->hover_x <= plot.left + plot.width)
    {
      int index = sample_at (self, &plot, self->hover_x);
      g_autofree char *text = index >= 0 ? hover_text (self, &plot, index) : NULL;

      if (text != NULL)
        {
          double x = x_of (&plot, g_array_index (self->times, gint64, index));
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
          int text_width, text_height;
          double box_x;

          cairo_set_source_rgba (cr, foreground.red, foreground.green, foreground.blue, 0.4);
          cairo_set_line_width (cr, 1);
          cairo_move_to (cr, round (x) + 0.5, plot.top);
          cairo_line_to (cr, round (x) + 0.5, plot.top + plot.height);
          cairo_stroke (cr);

          pango_layout_get_pixel_size (layout, &text_width, &text_height);
          box_x = CLAMP (x + 8, plot.left, plot.left + plot.width - text_width - 8);
          cairo_set_source_rgba (cr, dark ? 0.2 : 1, dark ? 0.2 : 1, dark ? 0.2 : 1, 0.92);
          cairo_rectangle (cr, box_x - 4, plot.top + 2, text_width + 8, text_height + 4);
          cairo_fill (cr);
          gdk_cairo_set_source_rgba (cr, &foreground);
          cairo_move_to (cr, box_x, plot.top + 4);
          pango_cairo_show_layout (cr, layout);
        }
    }
}

static void
paddock_graph_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  draw (PADDOCK_GRAPH (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
paddock_graph_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = 240, *natural = 640;
  else
    *minimum = 150, *natural = 190;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           PaddockGraph             *self)
{
  self->hover_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_leave (GtkEventControllerMotion *controller,
          PaddockGraph             *self)
{
  self->hover_x = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
paddock_graph_finalize (GObject *object)
{
  PaddockGraph *self = PADDOCK_GRAPH (object);

  g_free (self->title);
  g_clear_pointer (&self->times, g_array_unref);
  for (guint s = 0; s < 2; s++)
    {
      g_clear_pointer (&self->series[s], g_array_unref);
      g_free (self->labels[s]);
    }
  g_free (self->summary);

  G_OBJECT_CLASS (paddock_graph_parent_class)->finalize (object);
}

static void
paddock_graph_class_init (PaddockGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = paddock_graph_finalize;
  widget_class->snapshot = paddock_graph_snapshot;
  widget_class->measure = paddock_graph_measure;

  gtk_widget_class_set_css_name (widget_class, "paddockgraph");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
paddock_graph_init (PaddockGraph *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->hover_x = -1;
  /* Reachable by keyboard, so that a screen reader reads its summary. */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
}

GtkWidget *
paddock_graph_new (const char       *title,
                   PaddockGraphUnit  unit)
{
  PaddockGraph *self = g_object_new (PADDOCK_TYPE_GRAPH, NULL);

  self->title = g_strdup (title);
  self->unit = unit;
  update_summary (self);

  return GTK_WIDGET (self);
}

void
paddock_graph_set_data (PaddockGraph *self,
                        GArray       *times,
                        const char   *label0,
                        GArray       *series0,
                        const char   *label1,
                        GArray       *series1)
{
  g_return_if_fail (PADDOCK_IS_GRAPH (self));
  g_return_if_fail (times != NULL && series0 != NULL);

  g_clear_pointer (&self->times, g_array_unref);
  self->times = g_array_ref (times);
  for (guint s = 0; s < 2; s++)
    {
      GArray *series = s == 0 ? series0 : series1;

      g_clear_pointer (&self->series[s], g_array_unref);
      self->series[s] = series ? g_array_ref (series) : NULL;
      g_free (self->labels[s]);
      self->labels[s] = g_strdup (s == 0 ? label0 : label1);
    }

  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
paddock_graph_set_ceiling (PaddockGraph *self,
                           double        ceiling)
{
  g_return_if_fail (PADDOCK_IS_GRAPH (self));

  self->ceiling = isfinite (ceiling) && ceiling > 0 ? ceiling : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
paddock_graph_get_summary (PaddockGraph *self)
{
  g_return_val_if_fail (PADDOCK_IS_GRAPH (self), NULL);

  return self->summary;
}

guint
paddock_graph_get_n_segments (PaddockGraph *self)
{
  g_return_val_if_fail (PADDOCK_IS_GRAPH (self), 0);

  return self->n_segments;
}

char *
paddock_graph_dup_hover_text (PaddockGraph *self,
                              double        x)
{
  Plot plot;
  int index;

  g_return_val_if_fail (PADDOCK_IS_GRAPH (self), NULL);

  if (self->times == NULL || self->times->len == 0)
    return NULL;
  plot_for (self, &plot);
  if (x < plot.left || x > plot.left + plot.width || (index = sample_at (self, &plot, x)) < 0)
    return NULL;

  return hover_text (self, &plot, index);
}
