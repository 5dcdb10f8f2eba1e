// The admin export page's "Select all" toggle ticks or unticks every field of the export.
// django-import-export binds it with an inline onchange attribute, which the portal's
// Content-Security-Policy blocks; templates/admin/import_export/export.html loads this instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", () => {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)').forEach((checkbox) => {
        checkbox.checked = toggle.checked;
      });
    });
  });
});
