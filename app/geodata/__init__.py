"""Reading and checking uploaded development-area files (GeoJSON, Shapefile, GeoPackage, KML)."""
