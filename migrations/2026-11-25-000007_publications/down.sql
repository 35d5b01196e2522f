DROP TABLE objections;
DROP TABLE publications;
