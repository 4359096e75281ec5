/* dlg-progress-page.c - progress over time, as a chart and a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every period of the questionnaire, oldest first: the chart for the
 * trend at a glance, and the table with everything — overall and section
 * levels and scores, open, overdue and closed actions. The table is built
 * of rows and cells with those accessible roles, so that a screen reader
 * can read it as one.
 */

#define G_LOG_DOMAIN "dlg-progress-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "dlg-level-badge.h"
#include "dlg-progress-chart.h"
#include "dlg-progress-page.h"

struct _DlgProgressPage
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkLabel          *intro_label;
  DlgProgressChart  *chart;
  GtkScrolledWindow *table_scroller;

  /* Owned references */
  GPtrArray         *periods;
};

G_DEFINE_FINAL_TYPE (DlgProgressPage, dlg_progress_page, GTK_TYPE_WIDGET)

static GtkWidget *
cell (GtkSizeGroup *column,
      gboolean      header,
      DlgLevel      level,
      gboolean      show_level,
      const char   *text)
{
  GtkWidget *box = g_object_new (GTK_TYPE_BOX,
                                 "accessible-role", header ? GTK_ACCESSIBLE_ROLE_COLUMN_HEADER : GTK_ACCESSIBLE_ROLE_CELL,
                                 "spacing", 4,
                                 NULL);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (box, "progress-cell");
  if (header)
    gtk_widget_add_css_class (label, "heading");
  /* Cells keep their width: the table scrolls sideways on a narrow
   * window rather than squeezing columns out of line. */
  gtk_label_set_xalign (GTK_LABEL (label), 0);

  if (show_level)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name (dlg_level_get_icon_name (level));

      gtk_widget_add_css_class (icon, dlg_level_get_css_class (level));
      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_box_append (GTK_BOX (box), icon);
    }
  gtk_box_append (GTK_BOX (box), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_size_group_add_widget (column, box);
  return box;
}

static char *
level_and_score (DlgLevel  level,
                 gboolean  has_score,
                 double    score)
{
  if (has_score)
    return g_strdup_printf ("%s, %.0f %%", dlg_level_get_label (level), score);
  return g_strdup (dlg_level_get_label (level));
}

static void
build_table (DlgProgressPage *self,
             const char      *current_id)
{
  GtkWidget *table = g_object_new (GTK_TYPE_BOX,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_TABLE,
                                   "orientation", GTK_ORIENTATION_VERTICAL,
                                   NULL);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) section_ids = g_ptr_array_new ();
  g_autoptr(GPtrArray) section_titles = g_ptr_array_new ();
  GtkWidget *row;
  guint n_columns;

  gtk_accessible_update_property (GTK_ACCESSIBLE (table), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Every period"), -1);
  gtk_widget_add_css_class (table, "progress-table");

  /* Sections by id, in the order of the newest version that has them. */
  for (guint i = self->periods->len; i-- > 0;)
    {
      DlgPeriodSummary *p = g_ptr_array_index (self->periods, i);

      for (guint s = 0; s < p->sections->len; s++)
        {
          DlgSectionSummary *section = g_ptr_array_index (p->sections, s);

          if (!g_ptr_array_find_with_equal_func (section_ids, section->section_id, g_str_equal, NULL))
            {
              g_ptr_array_add (section_ids, section->section_id);
              g_ptr_array_add (section_titles, section->title);
            }
        }
    }

  n_columns = 3 + section_ids->len + 3;
  for (guint c = 0; c < n_columns; c++)
    g_ptr_array_add (columns, gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL));

  row = g_object_new (GTK_TYPE_BOX, "accessible-role", GTK_ACCESSIBLE_ROLE_ROW, "spacing", 12, NULL);
  gtk_widget_add_css_class (row, "progress-header");
  gtk_box_append (GTK_BOX (row), cell (columns->pdata[0], TRUE, 0, FALSE, _("Period")));
  gtk_box_append (GTK_BOX (row), cell (columns->pdata[1], TRUE, 0, FALSE, _("Overall")));
  gtk_box_append (GTK_BOX (row), cell (columns->pdata[2], TRUE, 0, FALSE, _("Version")));
  for (guint s = 0; s < section_ids->len; s++)
    gtk_box_append (GTK_BOX (row), cell (columns->pdata[3 + s], TRUE, 0, FALSE, section_titles->pdata[s]));
  gtk_box_append (GTK_BOX (row), cell (columns->pdata[n_columns - 3], TRUE, 0, FALSE, _("Open actions")));
  gtk_box_append (GTK_BOX (row), cell (columns->pdata[n_columns - 2], TRUE, 0, FALSE, _("Overdue")));
  gtk_box_append (GTK_BOX (row), cell (columns->pdata[n_columns - 1], TRUE, 0, FALSE, _("Closed")));
  gtk_box_append (GTK_BOX (table), row);

  for (guint i = 0; i < self->periods->len; i++)
    {
      DlgPeriodSummary *p = g_ptr_array_index (self->periods, i);
      g_autofree char *overall = level_and_score (p->level, p->has_score, p->score);
      g_autofree char *period = NULL;
      g_autofree char *open = g_strdup_printf ("%u", p->n_open);
      g_autofree char *overdue = g_strdup_printf ("%u", p->n_overdue);
      g_autofree char *closed = g_strdup_printf ("%u", p->n_closed);

      if (g_strcmp0 (p->assessment_id, current_id) == 0)
        /* TRANSLATORS: the period of the assessment open, in the table */
        period = g_strdup_printf (_("%s (this one)"), p->period ? p->period : p->title);
      else
        period = g_strdup (p->period ? p->period : p->title);

      row = g_object_new (GTK_TYPE_BOX, "accessible-role", GTK_ACCESSIBLE_ROLE_ROW, "spacing", 12, NULL);
      gtk_widget_add_css_class (row, "progress-row");
      gtk_box_append (GTK_BOX (row), cell (columns->pdata[0], FALSE, 0, FALSE, period));
      gtk_box_append (GTK_BOX (row), cell (columns->pdata[1], FALSE, p->level, TRUE, overall));
      gtk_box_append (GTK_BOX (row), cell (columns->pdata[2], FALSE, 0, FALSE, p->questionnaire_version));
      for (guint s = 0; s < section_ids->len; s++)
        {
          DlgSectionSummary *found = NULL;

          for (guint k = 0; k < p->sections->len && found == NULL; k++)
            if (g_strcmp0 (((DlgSectionSummary *) g_ptr_array_index (p->sections, k))->section_id,
                           section_ids->pdata[s]) == 0)
              found = g_ptr_array_index (p->sections, k);

          if (found == NULL || !found->visible)
            gtk_box_append (GTK_BOX (row), cell (columns->pdata[3 + s], FALSE, 0, FALSE,
                                                 found ? _("Not asked") : _("Not in this version")));
          else
            {
              g_autofree char *text = level_and_score (found->level, found->has_score, found->score);
              gtk_box_append (GTK_BOX (row), cell (columns->pdata[3 + s], FALSE, found->level, TRUE, text));
            }
        }
      gtk_box_append (GTK_BOX (row), cell (columns->pdata[n_columns - 3], FALSE, 0, FALSE, open));
      gtk_box_append (GTK_BOX (row), cell (columns->pdata[n_columns - 2], FALSE, 0, FALSE, overdue));
      gtk_box_append (GTK_BOX (row), cell (columns->pdata[n_columns - 1], FALSE, 0, FALSE, closed));
      gtk_box_append (GTK_BOX (table), row);
    }

  gtk_scrolled_window_set_child (self->table_scroller, table);
}

static void
dlg_progress_page_dispose (GObject *object)
{
  GtkWidget *child;
  DlgProgressPage *self = (DlgProgressPage *) object;

  gtk_widget_dispose_template (GTK_WIDGET (self), DLG_TYPE_PROGRESS_PAGE);
  /* The template's top-level children are not all bound; unparent them all. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  g_clear_pointer (&self->periods, g_ptr_array_unref);

  G_OBJECT_CLASS (dlg_progress_page_parent_class)->dispose (object);
}

static void
dlg_progress_page_class_init (DlgProgressPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dlg_progress_page_dispose;

  g_type_ensure (DLG_TYPE_PROGRESS_CHART);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/dlg-progress-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DlgProgressPage, intro_label);
  gtk_widget_class_bind_template_child (widget_class, DlgProgressPage, chart);
  gtk_widget_class_bind_template_child (widget_class, DlgProgressPage, table_scroller);
}

static void
dlg_progress_page_init (DlgProgressPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
dlg_progress_page_new (void)
{
  return g_object_new (DLG_TYPE_PROGRESS_PAGE, NULL);
}

/**
 * dlg_progress_page_set_periods:
 * @periods: (element-type DlgPeriodSummary): every period, oldest first
 * @current_id: (nullable): the assessment open, marked in the table
 */
void
dlg_progress_page_set_periods (DlgProgressPage *self,
                               GPtrArray       *periods,
                               const char      *current_id)
{
  g_return_if_fail (DLG_IS_PROGRESS_PAGE (self));
  g_return_if_fail (periods != NULL);

  g_ptr_array_ref (periods);
  g_clear_pointer (&self->periods, g_ptr_array_unref);
  self->periods = periods;

  if (periods->len < 2)
    gtk_label_set_label (self->intro_label,
                         _("This is the only period so far. Start the next period from the action plan to follow progress over time."));
  else
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u period of this questionnaire, oldest first. Scores of different versions may not compare exactly.",
                                                            "%u periods of this questionnaire, oldest first. Scores of different versions may not compare exactly.",
                                                            periods->len),
                                               periods->len);
      gtk_label_set_label (self->intro_label, text);
    }

  dlg_progress_chart_set_periods (self->chart, periods);
  build_table (self, current_id);
}

/**
 * dlg_progress_page_get_periods:
 *
 * Returns: (transfer none) (nullable) (element-type DlgPeriodSummary): the
 *   periods shown
 */
GPtrArray *
dlg_progress_page_get_periods (DlgProgressPage *self)
{
  g_return_val_if_fail (DLG_IS_PROGRESS_PAGE (self), NULL);
  return self->periods;
}
