from django.urls import path

from gongkai.workspace import views, views_audit, views_orgs, views_people

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views_orgs.tree, name="tree"),
    path("orgs/<str:code>/", views_orgs.detail, name="org"),
    path("orgs/<str:code>/children/", views_orgs.children, name="org_children"),
    path("orgs/<str:code>/new/", views_orgs.create_child, name="org_create"),
    path("orgs/<str:code>/edit/", views_orgs.edit, name="org_edit"),
    path("orgs/<str:code>/move/", views_orgs.move, name="org_move"),
    path("orgs/<str:code>/deactivate/", views_orgs.deactivate, name="org_deactivate"),
    path("orgs/<str:code>/reactivate/", views_orgs.reactivate, name="org_reactivate"),
    path("orgs/<str:code>/people/", views_people.people_list, name="org_people"),
    path("orgs/<str:code>/people/new/", views_people.person_create, name="person_create"),
    path("orgs/<str:code>/audit/", views_audit.audit_log, name="org_audit"),
    path("kinds/", views_orgs.kinds, name="kinds"),
    path("kinds/<str:code>/edit/", views_orgs.kind_edit, name="kind_edit"),
    path("people/", views_people.people_list, name="people"),
    path("people/<int:pk>/", views_people.person_detail, name="person"),
    path("people/<int:pk>/roles/", views_people.role_grant, name="role_grant"),
    path("people/<int:pk>/affiliations/", views_people.affiliation_add, name="affiliation_add"),
    path("roles/<int:pk>/revoke/", views_people.role_revoke, name="role_revoke"),
    path("affiliations/<int:pk>/remove/", views_people.affiliation_remove, name="affiliation_remove"),
    path("audit/", views_audit.audit_log, name="audit"),
]

from gongkai.workspace import views_imports  # noqa: E402 -- appended with the import pages

urlpatterns += [
    path("import/orgs/", views_imports.import_orgs, name="import_orgs"),
    path("import/people/", views_imports.import_people, name="import_people"),
]

from gongkai.workspace import views_catalogue  # noqa: E402 -- appended with the catalogue pages

urlpatterns += [
    path("catalogue/", views_catalogue.home, name="catalogue_home"),
    path("catalogue/diff/", views_catalogue.compare, name="catalogue_diff"),
    path("orgs/<str:code>/catalogue/", views_catalogue.org_catalogue, name="catalogue_org"),
    path("orgs/<str:code>/catalogue/create/", views_catalogue.create, name="catalogue_create"),
    path("catalogue/versions/<int:pk>/entries/new/", views_catalogue.entry_new, name="catalogue_entry_new"),
    path("catalogue/versions/<int:pk>/explain/", views_catalogue.explain, name="catalogue_explain"),
    path("catalogue/versions/<int:pk>/print/", views_catalogue.printable, name="catalogue_print"),
    path("catalogue/versions/<int:pk>/export.xlsx", views_catalogue.export_xlsx, name="catalogue_xlsx"),
    path("catalogue/versions/<int:pk>/<str:action>/", views_catalogue.act, name="catalogue_act"),
    path("catalogue/entries/<int:pk>/edit/", views_catalogue.entry_edit, name="catalogue_entry_edit"),
    path("catalogue/entries/<int:pk>/remove/", views_catalogue.entry_remove, name="catalogue_entry_remove"),
    path("catalogue/entries/<int:pk>/move/<str:direction>/", views_catalogue.entry_move,
         name="catalogue_entry_move"),
]

from gongkai.workspace import views_workdays  # noqa: E402 -- appended with the calendar page

urlpatterns += [
    path("workdays/", views_workdays.workdays, name="workdays"),
    path("workdays/load/", views_workdays.workdays_load, name="workdays_load"),
    path("workdays/day/", views_workdays.workdays_day_set, name="workdays_day_set"),
    path("workdays/day/remove/", views_workdays.workdays_day_remove, name="workdays_day_remove"),
    path("workdays/clear/", views_workdays.workdays_clear, name="workdays_clear"),
]

from gongkai.workspace import views_catalogue_pdf  # noqa: E402 -- appended with the PDF export

urlpatterns += [
    path("catalogue/versions/<int:pk>/export.pdf", views_catalogue_pdf.export_pdf, name="catalogue_pdf"),
]

from gongkai.workspace import views_templates  # noqa: E402 -- appended with the template pages

urlpatterns += [
    path("catalogue/templates/", views_templates.template_list, name="catalogue_templates"),
    path("catalogue/templates/<str:code>/", views_templates.template_detail, name="catalogue_template"),
    path("catalogue/templates/<str:code>/diff/", views_templates.template_compare,
         name="catalogue_template_diff"),
    path("catalogue/templates/<str:code>/rows/new/", views_templates.row_new,
         name="catalogue_template_row_new"),
    path("catalogue/templates/<str:code>/rows/<int:position>/edit/", views_templates.row_edit,
         name="catalogue_template_row_edit"),
    path("catalogue/templates/<str:code>/rows/<int:position>/<str:op>/", views_templates.row_change,
         name="catalogue_template_row_change"),
]

from gongkai.workspace import views_catalogue_import  # noqa: E402 -- appended with the catalogue import

# At the front: the catch-all `catalogue/versions/<pk>/<action>/` above would take "import" for an act.
urlpatterns.insert(0, path("catalogue/versions/<int:pk>/import/", views_catalogue_import.catalogue_import,
                           name="catalogue_import"))

from gongkai.workspace import views_obligations  # noqa: E402 -- appended with the obligations pages

urlpatterns += [
    path("obligations/", views_obligations.obligations, name="obligations"),
    path("obligations/<int:pk>/fulfil/", views_obligations.fulfil, name="obligation_fulfil"),
    path("obligations/<int:pk>/reopen/", views_obligations.reopen, name="obligation_reopen"),
]

from gongkai.workspace import views_register  # noqa: E402 -- the register (登记簿)

urlpatterns += [
    path("orgs/<str:code>/register/", views_register.register_page, name="register"),
    path("orgs/<str:code>/register/export.xlsx", views_register.register_xlsx, name="register_xlsx"),
    path("orgs/<str:code>/register/export.pdf", views_register.register_pdf, name="register_pdf"),
]

from gongkai.workspace import views_disclosures  # noqa: E402 -- appended with the disclosure item pages

urlpatterns += [
    path("disclosures/", views_disclosures.disclosure_list, name="disclosures"),
    path("orgs/<str:code>/disclosures/new/", views_disclosures.disclosure_create, name="disclosure_new"),
    path("disclosures/<int:pk>/", views_disclosures.disclosure_detail, name="disclosure"),
    path("disclosures/<int:pk>/edit/", views_disclosures.disclosure_edit, name="disclosure_edit"),
    path("disclosures/<int:pk>/amend/", views_disclosures.disclosure_amend, name="disclosure_amend"),
    path("disclosures/<int:pk>/history/", views_disclosures.disclosure_history, name="disclosure_history"),
    path("disclosures/<int:pk>/act/<str:action>/", views_disclosures.disclosure_act, name="disclosure_act"),
    path("disclosures/<int:pk>/repost/", views_disclosures.disclosure_repost, name="disclosure_repost"),
    path("tasks/", views_disclosures.my_tasks, name="tasks"),
]

from gongkai.workspace import views_disclosure_screening  # noqa: E402 -- findings and attachments

urlpatterns += [
    path("disclosures/<int:pk>/findings/<str:key>/redact/", views_disclosure_screening.redact,
         name="disclosure_redact"),
    path("disclosures/<int:pk>/findings/<str:key>/override/", views_disclosure_screening.override,
         name="disclosure_override"),
    path("disclosures/<int:pk>/attachments/", views_disclosure_screening.upload, name="disclosure_upload"),
    path("disclosures/<int:pk>/attachments/<int:file_id>/", views_disclosure_screening.download,
         name="disclosure_attachment"),
]
