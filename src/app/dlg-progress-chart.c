/* dlg-progress-chart.c - scores and levels period after period
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Drawn with GtkSnapshot: the overall score of each period on a 0–100 %
 * scale, joined by a line, each point marked with its level's icon and
 * labelled with the score and the level in words, and under each period
 * its open, overdue and closed actions. Colour is never the only cue. The
 * same content is the widget's accessible description, and the progress
 * page shows it again as a table.
 */

#define G_LOG_DOMAIN "dlg-progress-chart"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dlg-progress-chart.h"

#define LEFT 48
#define RIGHT 16
#define TOP 40
#define BOTTOM 56
#define PLOT_HEIGHT 160
#define ICON 16

struct _DlgProgressChart
{
  GtkWidget  parent_instance;

  GPtrArray *periods;   /* DlgPeriodSummary*, borrowed from the page's array */
};

G_DEFINE_FINAL_TYPE (DlgProgressChart, dlg_progress_chart, GTK_TYPE_WIDGET)

static void
level_colour (DlgLevel  level,
              GdkRGBA  *colour)
{
  switch (level)
    {
    case DLG_LEVEL_GREEN: gdk_rgba_parse (colour, "#26a269"); break;
    case DLG_LEVEL_AMBER: gdk_rgba_parse (colour, "#c88800"); break;
    case DLG_LEVEL_RED: gdk_rgba_parse (colour, "#c01c28"); break;
    case DLG_LEVEL_GREY:
    case DLG_LEVEL_INCOMPLETE:
    case DLG_LEVEL_NONE:
    default: gdk_rgba_parse (colour, "#77767b"); break;
    }
}

/**
 * dlg_progress_describe_period:
 *
 * Returns: (transfer full): one period in words, as the chart shows it
 */
char *
dlg_progress_describe_period (const DlgPeriodSummary *p)
{
  g_autofree char *score = p->has_score ? g_strdup_printf ("%.0f %%", p->score) : g_strdup (_("no score"));

  /* TRANSLATORS: "2026: Amber, 64 %; 3 open, 1 overdue and 5 closed actions" */
  return g_strdup_printf (_("%s: %s, %s; %u open, %u overdue and %u closed actions"),
                          p->period ? p->period : p->title, dlg_level_get_label (p->level), score,
                          p->n_open, p->n_overdue, p->n_closed);
}

static void
append_text (GtkWidget   *widget,
             GtkSnapshot *snapshot,
             const char  *text,
             double       centre_x,
             double       y,
             double       max_width,
             gboolean     bold,
             gboolean     small,
             GdkRGBA     *colour)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_new ();
  int width, height;

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (small)
    pango_font_description_set_size (font, 8 * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &width, &height);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (centre_x - max_width / 2, y));
  gtk_snapshot_append_layout (snapshot, layout, colour);
  gtk_snapshot_restore (snapshot);
}

static void
append_icon (GtkWidget   *widget,
             GtkSnapshot *snapshot,
             const char  *icon_name,
             double       x,
             double       y,
             GdkRGBA     *colour)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, icon_name, NULL, ICON,
                                                                 gtk_widget_get_scale_factor (widget),
                                                                 gtk_widget_get_direction (widget), 0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON, ICON, colour, 1);
  gtk_snapshot_restore (snapshot);
}

static double
score_y (double score)
{
  return TOP + PLOT_HEIGHT * (1 - CLAMP (score, 0, 100) / 100.0);
}

static void
dlg_progress_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  DlgProgressChart *self = DLG_PROGRESS_CHART (widget);
  int width = gtk_widget_get_width (widget);
  double plot_width = width - LEFT - RIGHT;
  double slot;
  GdkRGBA fg, grid;
  guint n;

  if (self->periods == NULL || (n = self->periods->len) == 0 || plot_width <= 0)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  grid = fg;
  grid.alpha = 0.15;
  slot = plot_width / n;

  /* The scale: 0, 50 and 100 %. */
  for (int s = 0; s <= 100; s += 50)
    {
      g_autofree char *label = g_strdup_printf ("%d %%", s);
      GdkRGBA dim = fg;

      dim.alpha = 0.6;
      gtk_snapshot_append_color (snapshot, &grid, &GRAPHENE_RECT_INIT (LEFT, score_y (s), plot_width, 1));
      append_text (widget, snapshot, label, LEFT / 2.0, score_y (s) - 8, LEFT - 4, FALSE, TRUE, &dim);
    }

  /* The line, under the points. */
  {
    cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, TOP + PLOT_HEIGHT + 1));
    gboolean started = FALSE;

    gdk_cairo_set_source_rgba (cr, &fg);
    cairo_set_line_width (cr, 2);
    for (guint i = 0; i < n; i++)
      {
        DlgPeriodSummary *p = g_ptr_array_index (self->periods, i);
        double x = LEFT + slot * (i + 0.5);

        if (!p->has_score)
          continue;
        if (started)
          cairo_line_to (cr, x, score_y (p->score));
        else
          cairo_move_to (cr, x, score_y (p->score));
        started = TRUE;
      }
    cairo_stroke (cr);
    cairo_destroy (cr);
  }

  for (guint i = 0; i < n; i++)
    {
      DlgPeriodSummary *p = g_ptr_array_index (self->periods, i);
      double x = LEFT + slot * (i + 0.5);
      double y = p->has_score ? score_y (p->score) : score_y (0);
      g_autofree char *score = p->has_score ? g_strdup_printf ("%.0f %%", p->score) : g_strdup ("–");
      g_autofree char *actions = NULL;
      GdkRGBA colour;
      GskRoundedRect dot;

      level_colour (p->level, &colour);

      /* The point, then the level's icon and word with the score above. */
      gsk_rounded_rect_init_from_rect (&dot, &GRAPHENE_RECT_INIT (x - 5, y - 5, 10, 10), 5);
      gtk_snapshot_push_rounded_clip (snapshot, &dot);
      gtk_snapshot_append_color (snapshot, &colour, &GRAPHENE_RECT_INIT (x - 5, y - 5, 10, 10));
      gtk_snapshot_pop (snapshot);

      append_icon (widget, snapshot, dlg_level_get_icon_name (p->level), x - ICON / 2.0, y - 2 * ICON - 14, &colour);
      {
        g_autofree char *label = g_strdup_printf ("%s · %s", score, dlg_level_get_label (p->level));
        append_text (widget, snapshot, label, x, y - ICON - 12, slot - 4, TRUE, slot < 110, &fg);
      }

      /* Under the axis: the period, and its actions. */
      append_text (widget, snapshot, p->period ? p->period : p->title, x, TOP + PLOT_HEIGHT + 8,
                   slot - 4, TRUE, FALSE, &fg);
      /* TRANSLATORS: under a period in the chart: open · overdue · closed actions */
      actions = g_strdup_printf (_("%u open · %u overdue · %u closed"), p->n_open, p->n_overdue, p->n_closed);
      append_text (widget, snapshot, actions, x, TOP + PLOT_HEIGHT + 28, slot - 4, FALSE, TRUE, &fg);
    }
}

static void
dlg_progress_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  DlgProgressChart *self = DLG_PROGRESS_CHART (widget);
  guint n = self->periods ? self->periods->len : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = LEFT + RIGHT + 120;
      *natural = LEFT + RIGHT + MAX (n, 1) * 160;
    }
  else
    *minimum = *natural = TOP + PLOT_HEIGHT + BOTTOM;
}

static void
dlg_progress_chart_finalize (GObject *object)
{
  DlgProgressChart *self = (DlgProgressChart *) object;

  g_clear_pointer (&self->periods, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_progress_chart_parent_class)->finalize (object);
}

static void
dlg_progress_chart_class_init (DlgProgressChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = dlg_progress_chart_finalize;
  widget_class->snapshot = dlg_progress_chart_snapshot;
  widget_class->measure = dlg_progress_chart_measure;

  gtk_widget_class_set_css_name (widget_class, "progresschart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
dlg_progress_chart_init (DlgProgressChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Chart of the overall score by period"),
                                  -1);
}

GtkWidget *
dlg_progress_chart_new (void)
{
  return g_object_new (DLG_TYPE_PROGRESS_CHART, NULL);
}

/**
 * dlg_progress_chart_set_periods:
 * @periods: (nullable) (element-type DlgPeriodSummary): oldest first
 */
void
dlg_progress_chart_set_periods (DlgProgressChart *self,
                                GPtrArray        *periods)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (DLG_IS_PROGRESS_CHART (self));

  if (periods != NULL)
    g_ptr_array_ref (periods);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  self->periods = periods;

  for (guint i = 0; periods && i < periods->len; i++)
    {
      g_autofree char *text = dlg_progress_describe_period (g_ptr_array_index (periods, i));
      g_string_append_printf (description, "%s%s.", i ? " " : "", text);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description->str,
                                  -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
