/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-usage-bar.c: a used/available fraction as a bar that draws itself
 *
 * The trough and the filled part are drawn in one snapshot with libadwaita's named colours:
 * the accent below 70 %, the warning colour to 90 %, the error colour above (SPEC.md §3.2).
 * A screen reader hears a meter with its value.
 */

#include "config.h"

#include "paddock-usage-bar.h"

#define BAR_HEIGHT 6
#define BAR_WIDTH  56

struct _PaddockUsageBar
{
  GtkWidget parent_instance;

  double    value;
};

G_DEFINE_FINAL_TYPE (PaddockUsageBar, paddock_usage_bar, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
fill_color_name (double value)
{
  if (value > 0.9)
    return "error_color";
  if (value > 0.7)
    return "warning_color";
  return "accent_bg_color";
}

static void
paddock_usage_bar_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  PaddockUsageBar *self = PADDOCK_USAGE_BAR (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float top = (height - BAR_HEIGHT) / 2.0f;
  GskRoundedRect trough;
  GdkRGBA foreground, fill;

  if (width <= 0 || height < BAR_HEIGHT)
    return;

  gtk_style_context_get_color (style, &foreground);
  foreground.alpha *= 0.15f;
  gsk_rounded_rect_init_from_rect (&trough, &GRAPHENE_RECT_INIT (0, top, width, BAR_HEIGHT),
                                   BAR_HEIGHT / 2.0f);
  gtk_snapshot_push_rounded_clip (snapshot, &trough);
  gtk_snapshot_append_color (snapshot, &foreground, &trough.bounds);
  if (self->value > 0
      && gtk_style_context_lookup_color (style, fill_color_name (self->value), &fill))
    gtk_snapshot_append_color (snapshot, &fill,
                               &GRAPHENE_RECT_INIT (0, top, width * self->value, BAR_HEIGHT));
  gtk_snapshot_pop (snapshot);
}

static void
paddock_usage_bar_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? BAR_WIDTH : BAR_HEIGHT;
}

static void
paddock_usage_bar_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PaddockUsageBar *self = PADDOCK_USAGE_BAR (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_usage_bar_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  PaddockUsageBar *self = PADDOCK_USAGE_BAR (object);

  switch (prop_id)
    {
    case PROP_VALUE:
      paddock_usage_bar_set_value (self, g_value_get_double (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_usage_bar_class_init (PaddockUsageBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = paddock_usage_bar_get_property;
  object_class->set_property = paddock_usage_bar_set_property;
  widget_class->snapshot = paddock_usage_bar_snapshot;
  widget_class->measure = paddock_usage_bar_measure;

  properties[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "usagebar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
paddock_usage_bar_init (PaddockUsageBar *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 1.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 0.0,
                                  -1);
}

GtkWidget *
paddock_usage_bar_new (const char *accessible_label)
{
  GtkWidget *bar = g_object_new (PADDOCK_TYPE_USAGE_BAR, NULL);

  if (accessible_label != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    accessible_label, -1);
  return bar;
}

double
paddock_usage_bar_get_value (PaddockUsageBar *self)
{
  g_return_val_if_fail (PADDOCK_IS_USAGE_BAR (self), 0.0);

  return self->value;
}

void
paddock_usage_bar_set_value (PaddockUsageBar *self,
                             double           value)
{
  g_return_if_fail (PADDOCK_IS_USAGE_BAR (self));

  value = CLAMP (value, 0.0, 1.0);
  if (value == self->value)
    return;

  self->value = value;
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, value,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
}
