DROP TABLE item_documents;
