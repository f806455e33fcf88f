/* SPDX-License-Identifier: GPL-3.0-or-later */
/* paddock-value-text.c: one line of text drawn in the space it is given
 *
 * A GtkLabel asks for a new layout of its row each time its text changes; the list has up to
 * 200 rows built and a refresh changes three figures in each, so a refresh measured 600 labels
 * again (bench-ui-list). This widget is as tall as a line of its font and takes the width its
 * parent gives it (the list's columns have fixed widths): a new text is only drawn again, and
 * only where it is on screen. CSS classes apply as to a label ("numeric", "caption",
 * "dim-label"). Screen readers read it as a label.
 */

#include "config.h"

#include "paddock-value-text.h"

struct _PaddockValueText
{
  GtkWidget  parent_instance;

  char      *text;
  float      xalign;
  int        line_height;  /* 0: measure again (the font changed) */
};

G_DEFINE_FINAL_TYPE (PaddockValueText, paddock_value_text, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
paddock_value_text_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  PaddockValueText *self = PADDOCK_VALUE_TEXT (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = 0;
      return;
    }

  if (self->line_height == 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Mg");
      int height;

      pango_layout_get_pixel_size (layout, NULL, &height);
      self->line_height = MAX (height, 1);
    }
  *minimum = *natural = self->line_height;
}

static void
paddock_value_text_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  PaddockValueText *self = PADDOCK_VALUE_TEXT (widget);
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA color;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int text_width, text_height;
  float x;

  if (self->text == NULL || *self->text == '\0' || width <= 0)
    return;

  layout = gtk_widget_create_pango_layout (widget, self->text);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);

  x = self->xalign * MAX (width - text_width, 0);
  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    x = MAX (width - text_width, 0) - x;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, (height - text_height) / 2.0f));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
paddock_value_text_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  PaddockValueText *self = PADDOCK_VALUE_TEXT (widget);

  GTK_WIDGET_CLASS (paddock_value_text_parent_class)->css_changed (widget, change);

  /* The font may have changed (a style class, the text scale): measure the line again. */
  self->line_height = 0;
  gtk_widget_queue_resize (widget);
}

static void
paddock_value_text_finalize (GObject *object)
{
  PaddockValueText *self = PADDOCK_VALUE_TEXT (object);

  g_free (self->text);

  G_OBJECT_CLASS (paddock_value_text_parent_class)->finalize (object);
}

static void
paddock_value_text_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PaddockValueText *self = PADDOCK_VALUE_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_value_text_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PaddockValueText *self = PADDOCK_VALUE_TEXT (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      paddock_value_text_set_text (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
paddock_value_text_class_init (PaddockValueTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = paddock_value_text_finalize;
  object_class->get_property = paddock_value_text_get_property;
  object_class->set_property = paddock_value_text_set_property;
  widget_class->measure = paddock_value_text_measure;
  widget_class->snapshot = paddock_value_text_snapshot;
  widget_class->css_changed = paddock_value_text_css_changed;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
paddock_value_text_init (PaddockValueText *self)
{
}

GtkWidget *
paddock_value_text_new (float xalign)
{
  PaddockValueText *self = g_object_new (PADDOCK_TYPE_VALUE_TEXT, NULL);

  self->xalign = CLAMP (xalign, 0.0f, 1.0f);
  return GTK_WIDGET (self);
}

const char *
paddock_value_text_get_text (PaddockValueText *self)
{
  g_return_val_if_fail (PADDOCK_IS_VALUE_TEXT (self), NULL);

  return self->text;
}

void
paddock_value_text_set_text (PaddockValueText *self,
                             const char       *text)
{
  g_return_if_fail (PADDOCK_IS_VALUE_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text != NULL ? text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}
