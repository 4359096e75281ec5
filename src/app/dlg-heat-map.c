/* dlg-heat-map.c - sections of an evaluation as coloured tiles
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn with GtkSnapshot: one tile per visible section, coloured by level,
 * with the section's title, the level in words and the score written on it,
 * so that the picture reads without colour too. The same content is the
 * widget's accessible description. Clicking a tile emits
 * ::section-activated.
 */

#define G_LOG_DOMAIN "dlg-heat-map"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dlg-heat-map.h"

#define TILE_WIDTH 176
#define TILE_HEIGHT 88
#define GAP 8
#define PAD 10

struct _DlgHeatMap
{
  GtkWidget      parent_instance;

  DlgEvaluation *evaluation;
  char          *language;
  GArray        *visible;   /* section indexes shown, in order */
};

G_DEFINE_FINAL_TYPE (DlgHeatMap, dlg_heat_map, GTK_TYPE_WIDGET)

enum {
  SECTION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static guint
columns_for_width (int width)
{
  return MAX (1, (width + GAP) / (TILE_WIDTH + GAP));
}

static void
tile_colours (DlgLevel  level,
              gboolean  dark,
              GdkRGBA  *background,
              GdkRGBA  *foreground)
{
  const char *bg, *fg;

  switch (level)
    {
    case DLG_LEVEL_GREEN: bg = "#26a269"; fg = "#ffffff"; break;
    case DLG_LEVEL_AMBER: bg = "#f5c211"; fg = "#2e2500"; break;
    case DLG_LEVEL_RED: bg = "#c01c28"; fg = "#ffffff"; break;
    case DLG_LEVEL_GREY: bg = dark ? "#5e5c64" : "#deddda"; fg = dark ? "#ffffff" : "#241f31"; break;
    case DLG_LEVEL_INCOMPLETE:
    case DLG_LEVEL_NONE:
    default:
      /* Incomplete tiles are outlined rather than filled. */
      bg = dark ? "#303030" : "#fafafa"; fg = dark ? "#ffffff" : "#241f31"; break;
    }

  gdk_rgba_parse (background, bg);
  gdk_rgba_parse (foreground, fg);
}

static char *
tile_status (const DlgSectionResult *sr)
{
  if (sr->level == DLG_LEVEL_INCOMPLETE)
    /* TRANSLATORS: a heat map tile: "Incomplete · 3/8 answered" */
    return g_strdup_printf (_("%s · %u/%u answered"), dlg_level_get_label (sr->level),
                            sr->n_required_answered, sr->n_required);
  if (sr->has_score)
    return g_strdup_printf ("%s · %.0f %%", dlg_level_get_label (sr->level), sr->score);
  return g_strdup (dlg_level_get_label (sr->level));
}

static void
dlg_heat_map_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  DlgHeatMap *self = DLG_HEAT_MAP (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  int width = gtk_widget_get_width (widget);
  guint columns = columns_for_width (width);
  double tile_width;

  if (self->evaluation == NULL || self->visible->len == 0)
    return;

  tile_width = (width - GAP * (double) (columns - 1)) / columns;

  for (guint i = 0; i < self->visible->len; i++)
    {
      const DlgSectionResult *sr = &self->evaluation->sections[g_array_index (self->visible, guint, i)];
      graphene_rect_t rect = GRAPHENE_RECT_INIT ((i % columns) * (tile_width + GAP),
                                                 (i / columns) * (TILE_HEIGHT + GAP),
                                                 tile_width, TILE_HEIGHT);
      GskRoundedRect rounded;
      GdkRGBA bg, fg;
      g_autoptr(PangoLayout) title = NULL;
      g_autoptr(PangoLayout) status = NULL;
      g_autofree char *status_text = tile_status (sr);
      PangoFontDescription *bold;

      tile_colours (sr->level, dark, &bg, &fg);
      gsk_rounded_rect_init_from_rect (&rounded, &rect, 8);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, &bg, &rect);
      gtk_snapshot_pop (snapshot);

      if (sr->level == DLG_LEVEL_INCOMPLETE || sr->level == DLG_LEVEL_NONE)
        {
          const float w[4] = { 2, 2, 2, 2 };
          GdkRGBA border = fg;
          GdkRGBA colours[4];

          border.alpha = 0.35;
          for (guint k = 0; k < 4; k++)
            colours[k] = border;
          gtk_snapshot_append_border (snapshot, &rounded, w, colours);
        }

      title = gtk_widget_create_pango_layout (widget, dlg_text_get (sr->section->title, self->language));
      pango_layout_set_width (title, (int) ((tile_width - 2 * PAD) * PANGO_SCALE));
      pango_layout_set_height (title, -2);
      pango_layout_set_ellipsize (title, PANGO_ELLIPSIZE_END);
      pango_layout_set_wrap (title, PANGO_WRAP_WORD_CHAR);

      status = gtk_widget_create_pango_layout (widget, status_text);
      bold = pango_font_description_from_string ("Bold");
      pango_layout_set_font_description (status, bold);
      pango_font_description_free (bold);
      pango_layout_set_width (status, (int) ((tile_width - 2 * PAD) * PANGO_SCALE));
      pango_layout_set_ellipsize (status, PANGO_ELLIPSIZE_END);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + PAD, rect.origin.y + PAD));
      gtk_snapshot_append_layout (snapshot, title, &fg);
      gtk_snapshot_restore (snapshot);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (rect.origin.x + PAD,
                                                              rect.origin.y + TILE_HEIGHT - PAD - 18));
      gtk_snapshot_append_layout (snapshot, status, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
dlg_heat_map_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  DlgHeatMap *self = DLG_HEAT_MAP (widget);
  guint n = self->visible->len;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN (TILE_WIDTH, 140);
      *natural = MAX (*minimum, n > 0 ? (int) MIN (n, 4) * (TILE_WIDTH + GAP) - GAP : 0);
    }
  else
    {
      guint columns = columns_for_width (for_size < 0 ? 4 * (TILE_WIDTH + GAP) : for_size);
      guint rows = (n + columns - 1) / columns;

      *minimum = *natural = rows > 0 ? rows * (TILE_HEIGHT + GAP) - GAP : 0;
    }
}

static GtkSizeRequestMode
dlg_heat_map_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
pressed_cb (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            DlgHeatMap      *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  guint columns = columns_for_width (width);
  double tile_width = (width - GAP * (double) (columns - 1)) / columns;
  guint column = (guint) (x / (tile_width + GAP));
  guint row = (guint) (y / (TILE_HEIGHT + GAP));
  guint i = row * columns + column;

  if (column < columns && i < self->visible->len)
    g_signal_emit (self, signals[SECTION_ACTIVATED], 0, g_array_index (self->visible, guint, i));
}

static void
dlg_heat_map_finalize (GObject *object)
{
  DlgHeatMap *self = (DlgHeatMap *)object;

  g_clear_pointer (&self->evaluation, dlg_evaluation_unref);
  g_clear_pointer (&self->language, g_free);
  g_clear_pointer (&self->visible, g_array_unref);

  G_OBJECT_CLASS (dlg_heat_map_parent_class)->finalize (object);
}

static void
dlg_heat_map_class_init (DlgHeatMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dlg_heat_map_finalize;
  widget_class->snapshot = dlg_heat_map_snapshot;
  widget_class->measure = dlg_heat_map_measure;
  widget_class->get_request_mode = dlg_heat_map_get_request_mode;

  /**
   * DlgHeatMap::section-activated:
   * @index: the section's index in the questionnaire
   */
  signals[SECTION_ACTIVATED] =
    g_signal_new ("section-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_css_name (widget_class, "heatmap");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dark_changed_cb (DlgHeatMap *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
dlg_heat_map_init (DlgHeatMap *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->visible = g_array_new (FALSE, FALSE, sizeof (guint));

  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Heat map of sections"),
                                  -1);
}

GtkWidget *
dlg_heat_map_new (void)
{
  return g_object_new (DLG_TYPE_HEAT_MAP, NULL);
}

/**
 * dlg_heat_map_set_evaluation:
 * @evaluation: (nullable): what to show
 * @language: (nullable): the language for section titles
 */
void
dlg_heat_map_set_evaluation (DlgHeatMap    *self,
                             DlgEvaluation *evaluation,
                             const char    *language)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (DLG_IS_HEAT_MAP (self));

  if (evaluation != NULL)
    dlg_evaluation_ref (evaluation);
  g_clear_pointer (&self->evaluation, dlg_evaluation_unref);
  self->evaluation = evaluation;
  g_free (self->language);
  self->language = g_strdup (language);

  g_array_set_size (self->visible, 0);
  for (guint i = 0; evaluation && i < evaluation->n_sections; i++)
    if (evaluation->sections[i].visible)
      {
        const DlgSectionResult *sr = &evaluation->sections[i];
        g_autofree char *status = tile_status (sr);

        g_array_append_val (self->visible, i);
        g_string_append_printf (description, "%s: %s. ",
                                dlg_text_get (sr->section->title, language), status);
      }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
