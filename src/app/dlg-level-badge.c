/* dlg-level-badge.c - a level shown as colour, icon and word
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Colour is never the only cue: the badge always carries the level's icon
 * and word, and screen readers hear "Level: Red, non-compliant, high risk".
 */

#define G_LOG_DOMAIN "dlg-level-badge"

#include "config.h"

#include <glib/gi18n.h>

#include "dlg-level-badge.h"

struct _DlgLevelBadge
{
  GtkWidget  parent_instance;

  GtkWidget *icon;
  GtkWidget *label;
  DlgLevel   level;
  char      *detail;
};

G_DEFINE_FINAL_TYPE (DlgLevelBadge, dlg_level_badge, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LEVEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
dlg_level_get_css_class (DlgLevel level)
{
  switch (level)
    {
    case DLG_LEVEL_GREEN: return "level-green";
    case DLG_LEVEL_AMBER: return "level-amber";
    case DLG_LEVEL_RED: return "level-red";
    case DLG_LEVEL_GREY: return "level-grey";
    case DLG_LEVEL_INCOMPLETE: return "level-incomplete";
    case DLG_LEVEL_NONE:
    default:
      return "level-none";
    }
}

static void
update (DlgLevelBadge *self)
{
  static const DlgLevel all[] = {
    DLG_LEVEL_NONE, DLG_LEVEL_GREY, DLG_LEVEL_GREEN, DLG_LEVEL_AMBER, DLG_LEVEL_RED, DLG_LEVEL_INCOMPLETE
  };
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), dlg_level_get_css_class (all[i]));
  gtk_widget_add_css_class (GTK_WIDGET (self), dlg_level_get_css_class (self->level));

  gtk_image_set_from_icon_name (GTK_IMAGE (self->icon), dlg_level_get_icon_name (self->level));

  if (self->detail != NULL)
    text = g_strdup_printf ("%s · %s", dlg_level_get_label (self->level), self->detail);
  else
    text = g_strdup (dlg_level_get_label (self->level));
  gtk_label_set_label (GTK_LABEL (self->label), text);

  /* TRANSLATORS: read by screen readers, e.g. "Level: Red, non-compliant, high risk" */
  accessible = g_strdup_printf (_("Level: %s, %s"), text, dlg_level_get_description (self->level));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), dlg_level_get_description (self->level));
}

static void
dlg_level_badge_dispose (GObject *object)
{
  DlgLevelBadge *self = (DlgLevelBadge *)object;

  g_clear_pointer (&self->icon, gtk_widget_unparent);
  g_clear_pointer (&self->label, gtk_widget_unparent);
  g_clear_pointer (&self->detail, g_free);

  G_OBJECT_CLASS (dlg_level_badge_parent_class)->dispose (object);
}

static void
dlg_level_badge_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DlgLevelBadge *self = DLG_LEVEL_BADGE (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_level_badge_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  DlgLevelBadge *self = DLG_LEVEL_BADGE (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      dlg_level_badge_set_level (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dlg_level_badge_class_init (DlgLevelBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_level_badge_dispose;
  object_class->get_property = dlg_level_badge_get_property;
  object_class->set_property = dlg_level_badge_set_property;

  properties[PROP_LEVEL] =
    g_param_spec_int ("level", NULL, NULL,
                      DLG_LEVEL_NONE, DLG_LEVEL_INCOMPLETE, DLG_LEVEL_NONE,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "levelbadge");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
dlg_level_badge_init (DlgLevelBadge *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->icon = gtk_image_new ();
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_widget_set_parent (self->icon, GTK_WIDGET (self));

  /* Never ellipsized: the word is what says the level to someone who
   * cannot tell the colours apart, so the text beside it wraps instead. */
  self->label = gtk_label_new (NULL);
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  self->level = DLG_LEVEL_NONE;
  update (self);
}

GtkWidget *
dlg_level_badge_new (void)
{
  return g_object_new (DLG_TYPE_LEVEL_BADGE, NULL);
}

DlgLevel
dlg_level_badge_get_level (DlgLevelBadge *self)
{
  g_return_val_if_fail (DLG_IS_LEVEL_BADGE (self), DLG_LEVEL_NONE);
  return self->level;
}

void
dlg_level_badge_set_level (DlgLevelBadge *self,
                           DlgLevel       level)
{
  g_return_if_fail (DLG_IS_LEVEL_BADGE (self));

  if (self->level == level)
    return;

  self->level = level;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
}

/**
 * dlg_level_badge_set_detail:
 * @detail: (nullable): shown after the level's word, e.g. "72 %"
 */
void
dlg_level_badge_set_detail (DlgLevelBadge *self,
                            const char    *detail)
{
  g_return_if_fail (DLG_IS_LEVEL_BADGE (self));

  if (g_strcmp0 (self->detail, detail) == 0)
    return;

  g_free (self->detail);
  self->detail = g_strdup (detail);
  update (self);
}
