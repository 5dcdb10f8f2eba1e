// Starts Swagger UI on the API's documentation page (no inline script: the site's CSP allows 'self' only).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    deepLinking: true,
    validatorUrl: null,          // never calls an outside validator
    tryItOutEnabled: true,
    supportedSubmitMethods: ["get", "head"],
    defaultModelsExpandDepth: 0
  });
})();
