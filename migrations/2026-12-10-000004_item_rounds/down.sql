DROP TABLE item_rounds;
