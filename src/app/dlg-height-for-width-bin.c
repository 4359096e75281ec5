/* dlg-height-for-width-bin.c - a bin whose width never depends on its height
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scrolled windows and leaflets ask their content how wide it must be for
 * a given height. A GtkListBox answers by binary search over widths,
 * measuring every row's height at each step, and each wrapping GtkLabel in
 * those rows answers its own width-for-height question by another binary
 * search over Pango layouts (GTK 4.8). With a sidebar of a few dozen rows
 * that was thousands of text layouts before the first frame, for a width
 * that is fixed anyway. This bin measures its child's width without a
 * height, and passes everything else through, so the child is laid out
 * height-for-width only.
 */

#define G_LOG_DOMAIN "dlg-height-for-width-bin"

#include "config.h"

#include "dlg-height-for-width-bin.h"

struct _DlgHeightForWidthBin
{
  GtkWidget  parent_instance;

  GtkWidget *child;
};

static void dlg_height_for_width_bin_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DlgHeightForWidthBin, dlg_height_for_width_bin, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, dlg_height_for_width_bin_buildable_init))

enum {
  PROP_0,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

static GtkSizeRequestMode
dlg_height_for_width_bin_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
dlg_height_for_width_bin_measure (GtkWidget      *widget,
                                  GtkOrientation  orientation,
                                  int             for_size,
                                  int            *minimum,
                                  int            *natural,
                                  int            *minimum_baseline,
                                  int            *natural_baseline)
{
  DlgHeightForWidthBin *self = DLG_HEIGHT_FOR_WIDTH_BIN (widget);

  if (self->child == NULL || !gtk_widget_should_layout (self->child))
    {
      *minimum = *natural = 0;
      return;
    }

  gtk_widget_measure (self->child, orientation,
                      orientation == GTK_ORIENTATION_HORIZONTAL ? -1 : for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

static void
dlg_height_for_width_bin_size_allocate (GtkWidget *widget,
                                        int        width,
                                        int        height,
                                        int        baseline)
{
  DlgHeightForWidthBin *self = DLG_HEIGHT_FOR_WIDTH_BIN (widget);

  if (self->child != NULL && gtk_widget_should_layout (self->child))
    gtk_widget_allocate (self->child, width, height, baseline, NULL);
}

static void
dlg_height_for_width_bin_add_child (GtkBuildable *buildable,
                                    GtkBuilder   *builder,
                                    GObject      *child,
                                    const char   *type)
{
  if (GTK_IS_WIDGET (child))
    dlg_height_for_width_bin_set_child (DLG_HEIGHT_FOR_WIDTH_BIN (buildable), GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
dlg_height_for_width_bin_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = dlg_height_for_width_bin_add_child;
}

static void
dlg_height_for_width_bin_dispose (GObject *object)
{
  DlgHeightForWidthBin *self = DLG_HEIGHT_FOR_WIDTH_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (dlg_height_for_width_bin_parent_class)->dispose (object);
}

static void
dlg_height_for_width_bin_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  DlgHeightForWidthBin *self = DLG_HEIGHT_FOR_WIDTH_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_height_for_width_bin_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  DlgHeightForWidthBin *self = DLG_HEIGHT_FOR_WIDTH_BIN (object);

  switch (prop_id)
    {
    case PROP_CHILD:
      dlg_height_for_width_bin_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_height_for_width_bin_class_init (DlgHeightForWidthBinClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_height_for_width_bin_dispose;
  object_class->get_property = dlg_height_for_width_bin_get_property;
  object_class->set_property = dlg_height_for_width_bin_set_property;

  widget_class->get_request_mode = dlg_height_for_width_bin_get_request_mode;
  widget_class->measure = dlg_height_for_width_bin_measure;
  widget_class->size_allocate = dlg_height_for_width_bin_size_allocate;

  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
dlg_height_for_width_bin_init (DlgHeightForWidthBin *self)
{
}

GtkWidget *
dlg_height_for_width_bin_new (void)
{
  return g_object_new (DLG_TYPE_HEIGHT_FOR_WIDTH_BIN, NULL);
}

/**
 * dlg_height_for_width_bin_get_child:
 *
 * Returns: (transfer none) (nullable): the child
 */
GtkWidget *
dlg_height_for_width_bin_get_child (DlgHeightForWidthBin *self)
{
  g_return_val_if_fail (DLG_IS_HEIGHT_FOR_WIDTH_BIN (self), NULL);
  return self->child;
}

void
dlg_height_for_width_bin_set_child (DlgHeightForWidthBin *self,
                                    GtkWidget            *child)
{
  g_return_if_fail (DLG_IS_HEIGHT_FOR_WIDTH_BIN (self));
  g_return_if_fail (child == NULL || gtk_widget_get_parent (child) == NULL);

  if (self->child == child)
    return;

  g_clear_pointer (&self->child, gtk_widget_unparent);
  if (child != NULL)
    {
      self->child = child;
      gtk_widget_set_parent (child, GTK_WIDGET (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}
