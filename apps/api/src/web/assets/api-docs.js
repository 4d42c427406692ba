// Starts Swagger UI on /docs with the document at /docs-json (an external script, so the page's CSP needs no inline
// code).
window.addEventListener('load', function () {
  window.ui = window.SwaggerUIBundle({
    url: '/docs-json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
  });
});
