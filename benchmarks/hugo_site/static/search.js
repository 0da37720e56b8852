addEventListener("DOMContentLoaded", function () { new PagefindUI({ element: "#search", showSubResults: false }); });
