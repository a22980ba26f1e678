"""Page metadata and discovery: head tags, social cards, sitemap, favicons, the header's next step."""
